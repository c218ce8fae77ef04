import io

import pytest
from PIL import Image

from accounts.models import HandleRedirect, User
from tests import media_files
from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(client):
    user = CreatorFactory(handle="nova", display_name="Nova")
    client.force_login(user)
    return user


def profile(**overrides):
    data = {"handle": "nova", "display_name": "Nova Drift", "bio": "Synth nights.",
            "links": "https://suno.com/@nova\nhttps://nova.example", "notify_new_tracks": "on"}
    data.update(overrides)
    return data


def test_a_creator_edits_the_profile(client, creator):
    response = client.post("/account/", profile())
    assert response.status_code == 302
    creator.refresh_from_db()
    assert (creator.display_name, creator.bio) == ("Nova Drift", "Synth nights.")
    assert creator.links == ["https://suno.com/@nova", "https://nova.example"]
    assert "Synth nights." in client.get("/creators/nova/").text


def test_a_new_handle_keeps_the_old_profile_url_redirecting(client, creator):
    client.post("/account/", profile(handle="nova-drift"))
    creator.refresh_from_db()
    assert creator.handle == "nova-drift"
    assert HandleRedirect.objects.get(old_handle="nova").user == creator
    response = client.get("/creators/nova/")
    assert response.status_code == 301 and response["Location"] == "/creators/nova-drift/"


def test_a_taken_handle_is_refused(client, creator):
    CreatorFactory(handle="taken")
    response = client.post("/account/", profile(handle="taken"))
    assert response.context["form"].errors["handle"] == ["That handle is taken; try another."]


def test_a_handle_must_be_url_safe(client, creator):
    response = client.post("/account/", profile(handle="no spaces!"))
    assert "handle" in response.context["form"].errors


def test_links_must_be_https(client, creator):
    response = client.post("/account/", profile(links="javascript:alert(1)"))
    assert "https://" in response.context["form"].errors["links"][0]


def test_the_avatar_is_resized_and_stripped(client, creator):
    client.post("/account/", profile(avatar=media_files.cover("a.png", width=1600, height=900)))
    creator = User.objects.get(pk=creator.pk)
    with Image.open(io.BytesIO(creator.avatar.read())) as image:
        assert image.format == "JPEG" and image.size == (256, 144)


def test_a_broken_avatar_is_refused(client, creator):
    response = client.post("/account/", profile(avatar=media_files.svg_named_png()))
    assert "not a readable" in response.context["form"].errors["avatar"][0]


def test_the_account_page_needs_a_login(client):
    client.logout()
    assert client.get("/account/").status_code == 302


def test_the_account_page_runs_a_bounded_number_of_queries(client, creator, django_assert_max_num_queries):
    from accounts.models import Follow
    from marketplace.models import Favourite, PurchaseClick
    from tests.factories import TrackFactory
    from voting.models import Vote

    for _ in range(8):
        track = TrackFactory()
        Favourite.objects.create(user=creator, track=track)
        Follow.objects.create(follower=creator, creator=track.creator)
        Vote.objects.create(voter=creator, track=track, value=1)
        PurchaseClick.objects.create(track=track, user=creator)
    with django_assert_max_num_queries(14):
        response = client.get("/account/")
    assert response.text.count('class="track-card"') == 8

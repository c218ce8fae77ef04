import pytest

from tests.factories import ToolFactory, TrackFactory, UserFactory
from voting.models import TrackScore, Vote
from voting.services import cast_vote

pytestmark = pytest.mark.django_db


def test_the_track_page_shows_labelled_vote_buttons_with_score_and_counts(client, voter):
    track = TrackFactory(title="Neon Orbit")
    client.force_login(voter)
    response = client.get(track.get_absolute_url())
    assert 'aria-label="Upvote Neon Orbit"' in response.text
    assert 'aria-label="Downvote Neon Orbit"' in response.text
    assert "0 up · 0 down" in response.text


def test_a_visitor_sees_the_score_and_vote_buttons_that_lead_to_log_in(client):
    track = TrackFactory(title="Neon Orbit")
    response = client.get(track.get_absolute_url())
    login = f'href="/accounts/login/?next={track.get_absolute_url()}"'
    assert f'{login} aria-label="Log in to upvote Neon Orbit"' in response.text
    assert f'{login} aria-label="Log in to downvote Neon Orbit"' in response.text
    assert "0 up · 0 down" in response.text


def test_a_plain_form_post_votes_and_redirects_back(client, voter):
    track = TrackFactory()
    client.force_login(voter)
    response = client.post(f"/votes/track/{track.pk}/", {"value": "1", "next": "/browse/"})
    assert response.status_code == 302 and response["Location"] == "/browse/"
    assert TrackScore.objects.get(track=track).upvotes == 1
    page = client.get(track.get_absolute_url()).text
    assert 'aria-pressed="true"' in page and "1 up · 0 down" in page
    assert f'aria-label="Remove your upvote from {track.title}"' in page


def test_an_htmx_post_answers_the_updated_buttons(client, voter):
    track = TrackFactory()
    client.force_login(voter)
    response = client.post(f"/votes/track/{track.pk}/", {"value": "-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'class="vote-buttons"' in response.text and "0 up · 1 down" in response.text
    assert "<html" not in response.text
    response = client.post(f"/votes/track/{track.pk}/", {"value": "0"}, HTTP_HX_REQUEST="true")
    assert "0 up · 0 down" in response.text
    assert not Vote.objects.exists()


def test_a_self_vote_is_explained_not_counted(client):
    track = TrackFactory()
    client.force_login(track.creator)
    response = client.post(f"/votes/track/{track.pk}/", {"value": "1"}, HTTP_HX_REQUEST="true")
    assert "cannot vote on your own" in response.text and 'role="alert"' in response.text
    response = client.post(f"/votes/track/{track.pk}/", {"value": "1"}, follow=True)
    assert "cannot vote on your own" in response.text
    assert not Vote.objects.exists()


def test_junk_values_are_explained(client, voter):
    track = TrackFactory()
    client.force_login(voter)
    response = client.post(f"/votes/track/{track.pk}/", {"value": "sideways"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert client.post("/votes/album/1/", {"value": "1"}).status_code == 404
    assert client.post(f"/votes/track/{track.pk + 999}/", {"value": "1"}).status_code == 404


def test_it_rejects_get(client, voter):
    track = TrackFactory()
    client.force_login(voter)
    assert client.get(f"/votes/track/{track.pk}/?value=1").status_code == 405
    assert not Vote.objects.exists()


def test_visitors_are_sent_to_log_in(client):
    track = TrackFactory()
    response = client.post(f"/votes/track/{track.pk}/", {"value": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(f"/votes/track/{track.pk}/", {"value": "1"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert not Vote.objects.exists()


def test_an_offsite_next_is_ignored(client, voter):
    track = TrackFactory()
    client.force_login(voter)
    response = client.post(f"/votes/track/{track.pk}/", {"value": "1", "next": "https://evil.example/"})
    assert response["Location"] == track.get_absolute_url()


def test_the_tool_page_has_vote_buttons(client, voter):
    tool = ToolFactory(name="Suno")
    client.force_login(voter)
    client.post(f"/votes/tool/{tool.pk}/", {"value": "1"})
    assert "1 up · 0 down" in client.get(tool.get_absolute_url()).text


def test_listing_pages_stay_bounded_for_a_signed_in_voter(client, voter, django_assert_max_num_queries):
    tracks = TrackFactory.create_batch(20)
    for track in tracks[:10]:
        cast_vote(voter, track, 1)
    client.force_login(voter)
    # A cold facet cache counts each of the six facets (genre, mood, platform, use, YouTube-safe, AI
    # credits) in its own aggregate; the rest is the page's own few queries, whatever the catalogue size.
    with django_assert_max_num_queries(15):
        response = client.get("/browse/")
    assert response.text.count('aria-pressed="true"') == 10


def test_a_fresh_account_voting_too_fast_is_told_when_to_retry(client):
    fresh = UserFactory()
    client.force_login(fresh)
    tracks = TrackFactory.create_batch(6)
    for track in tracks[:5]:
        client.post(f"/votes/track/{track.pk}/", {"value": "1"}, HTTP_HX_REQUEST="true")
    response = client.post(f"/votes/track/{tracks[5].pk}/", {"value": "1"}, HTTP_HX_REQUEST="true")
    assert "Try again in" in response.text and int(response["Retry-After"]) >= 1
    assert Vote.objects.filter(voter=fresh).count() == 5


def test_the_web_vote_runs_a_constant_number_of_queries(client, voter, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    from voting.services import recompute_scores

    quiet, busy = TrackFactory(), TrackFactory()
    for _ in range(25):
        cast_vote(UserFactory(date_joined=timezone.now() - timedelta(days=60)), busy, 1)
    recompute_scores()
    client.force_login(voter)
    client.get("/")  # the session is loaded once
    with django_assert_num_queries(7) as queries:  # user, target, vote (4 with savepoints), the viewer's votes
        client.post(f"/votes/track/{quiet.pk}/", {"value": "1"}, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(len(queries)):
        client.post(f"/votes/track/{busy.pk}/", {"value": "1"}, HTTP_HX_REQUEST="true")


def test_verifying_an_email_raises_the_weight_of_past_votes(client, voter, rf):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    EmailAddress.objects.filter(user=voter).update(verified=False)
    track = TrackFactory()
    before = cast_vote(voter, track, 1).weight
    address, _ = EmailAddress.objects.update_or_create(
        user=voter, email=voter.email, defaults={"verified": True, "primary": True}
    )
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    assert TrackScore.objects.get(track=track).score == pytest.approx(before * 2)

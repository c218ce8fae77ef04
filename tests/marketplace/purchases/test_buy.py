"""A buyer presses Buy, reads the disclosure and continues to the platform; an agent asks the API for the link.

The page (/tracks/<id>/buy/) and the API (/api/v1/tracks/<id>/purchase-click) both go through
marketplace.purchases.services.buy, so each rule is tested through both doors.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from aimusicstore import pagecache
from marketplace.models import Platform, PurchaseClick, Track, TrackDailyStats
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


def buy(client, track, **extra):
    return client.post(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=CHROME, **extra)


def api_buy(client, track, **extra):
    return client.post(f"/api/v1/tracks/{track.pk}/purchase-click", HTTP_USER_AGENT=CHROME, **extra)


# --- The buyer is sent on, and the click is counted ------------------------------------------

def test_the_confirmation_shows_price_platform_creator_and_our_commission(client):
    track = TrackFactory(title="Midnight Dreams", price="1.99", creator__display_name="AIProducer")
    response = client.get(f"/tracks/{track.pk}/buy/")
    assert response.status_code == 200
    text = response.text
    assert "Purchase “Midnight Dreams”" in text
    assert "$1.99" in text and "Suno AI" in text and "AIProducer" in text
    assert "aimusicstore earns $0.40 (20 %)" in text
    assert 'href="/how-buying-works/"' in text
    assert f'<form method="post" action="/tracks/{track.pk}/buy/" target="_blank"' in text


def test_opening_the_confirmation_records_nothing(client):
    track = TrackFactory()
    client.get(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=CHROME)
    assert PurchaseClick.objects.count() == 0


def test_continue_redirects_to_the_stored_url_with_our_tag_and_the_click_id(client):
    track = TrackFactory(purchase_url="https://suno.com/song/abc?ref=x&affiliate=someone-else#play")
    response = buy(client, track, HTTP_REFERER="http://testserver/browse/", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 303
    url = urlsplit(response["Location"])
    assert (url.scheme, url.netloc, url.path, url.fragment) == ("https", "suno.com", "/song/abc", "play")
    query = parse_qs(url.query)
    click = PurchaseClick.objects.get()
    assert query == {"ref": ["x"], "affiliate": ["aimusicstore"], "click_id": [str(click.click_id)]}
    assert click.track == track and click.referrer == "http://testserver/browse/"
    assert click.session_key
    assert click.ip_hash and "203.0.113.9" not in click.ip_hash
    assert TrackDailyStats.objects.get(track=track).clicks == 1


def test_it_records_a_click_and_answers_the_tagged_purchase_url(anon):
    track = TrackFactory(purchase_url="https://suno.com/song/1?ref=x")
    response = anon.post(f"/api/v1/tracks/{track.pk}/purchase-click")
    assert response.status_code == 201
    body = response.json()
    click = PurchaseClick.objects.get()
    query = parse_qs(urlsplit(body["purchase_url"]).query)
    assert query == {"ref": ["x"], "affiliate": ["aimusicstore"], "click_id": [str(click.click_id)]}
    assert body["click_id"] == str(click.click_id) and click.track == track and click.user is None


def test_page_and_api_send_the_buyer_to_the_same_tagged_link(client):
    track = TrackFactory(purchase_url="https://suno.com/song/7?ref=x&affiliate=someone-else")
    from_page = urlsplit(buy(client, track)["Location"])
    body = api_buy(client_with(), track).json()
    from_api = urlsplit(body["purchase_url"])

    page_query, api_query = parse_qs(from_page.query), parse_qs(from_api.query)
    assert from_page._replace(query="") == from_api._replace(query="")
    assert page_query.pop("click_id") != api_query.pop("click_id") == [body["click_id"]]
    assert page_query == api_query == {"ref": ["x"], "affiliate": ["aimusicstore"]}
    assert PurchaseClick.objects.count() == 2


def test_each_continue_gets_its_own_click_id(client):
    track = TrackFactory()
    first, second = buy(client, track)["Location"], buy(client, track)["Location"]
    assert first != second
    assert PurchaseClick.objects.count() == 2


def test_a_signed_in_buyer_is_recorded_with_the_click(client):
    buyer = UserFactory()
    client.force_login(buyer)
    buy(client, TrackFactory())
    assert PurchaseClick.objects.get().user == buyer


def test_it_links_the_click_to_the_keys_user(api, creator):
    track = TrackFactory()
    api.post(f"/api/v1/tracks/{track.pk}/purchase-click")
    assert PurchaseClick.objects.get().user == creator


def test_a_key_holder_with_a_scripted_user_agent_is_counted():
    """An agent's deliberate call is a buyer's click even when its HTTP library looks like a crawler."""
    buyer = CreatorFactory()
    track = TrackFactory()
    response = client_with(key_for(buyer)).post(f"/api/v1/tracks/{track.pk}/purchase-click",
                                                 HTTP_USER_AGENT="python-requests/2.32.3")
    assert response.status_code == 201
    assert PurchaseClick.objects.get().user == buyer


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
])
def test_crawlers_are_redirected_but_not_counted(client, agent):
    track = TrackFactory()
    response = client.post(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=agent)
    assert response.status_code == 303
    assert parse_qs(urlsplit(response["Location"]).query) == {"affiliate": ["aimusicstore"]}
    assert PurchaseClick.objects.count() == 0


def test_an_anonymous_crawler_is_not_counted_on_either_path(client):
    track = TrackFactory()
    bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

    page = client.post(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=bot)
    api = client_with().post(f"/api/v1/tracks/{track.pk}/purchase-click", HTTP_USER_AGENT=bot)

    assert page.status_code == 303 and "click_id" not in page["Location"]
    assert api.status_code == 200 and api.json()["click_id"] is None
    assert "affiliate=aimusicstore" in api.json()["purchase_url"]
    assert not PurchaseClick.objects.exists()


def test_a_subdomain_of_the_platform_is_allowed(client):
    track = TrackFactory(purchase_url="https://app.suno.com/song/9")
    assert urlsplit(buy(client, track)["Location"]).netloc == "app.suno.com"


@pytest.mark.parametrize("path", ["/", "/browse/", "/trending/", "/top/alltime/"])
def test_listings_show_a_buy_button_on_each_track(client, path):
    from voting.services import recompute_scores

    track = TrackFactory(title="Paper Orbit")
    from voting.models import Vote

    Vote.objects.create(voter=UserFactory(), track=track, value=1, weight=1.0)
    recompute_scores()
    text = client.get(path).text
    assert f'href="/tracks/{track.pk}/buy/"' in text and f'data-hx-get="/tracks/{track.pk}/buy/"' in text
    assert 'id="buy-dialog"' in text


def test_the_buy_button_loads_just_the_confirmation_into_the_dialog(client):
    track = TrackFactory(title="Paper Orbit")
    text = client.get(f"/tracks/{track.pk}/buy/", HTTP_HX_REQUEST="true").text
    assert "aimusicstore earns $0.40 (20 %)" in text and "<html" not in text
    assert '<form method="dialog">' in text  # Cancel closes the dialog


def test_the_commission_shown_follows_the_platform_rate(client):
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"], commission_rate="0.2250")
    track = TrackFactory(platform=udio, purchase_url="https://udio.com/songs/1", price="2.99")
    assert "aimusicstore earns $0.67 (22.5 %)" in client.get(f"/tracks/{track.pk}/buy/").text


def test_the_disclosure_page_lists_each_platform_rate(client):
    PlatformFactory(name="Udio", slug="udio", domains=["udio.com"], commission_rate="0.2250")
    PlatformFactory()
    text = client.get("/how-buying-works/").text
    assert "How buying works" in text and "22.5 %" in text and "20 %" in text
    assert Platform.objects.count() == 2


# --- Wrong method ----------------------------------------------------------------------------

def test_other_methods_are_refused(client):
    track = TrackFactory()
    for response in (client.put(f"/tracks/{track.pk}/buy/"), client.delete(f"/tracks/{track.pk}/buy/")):
        assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert not PurchaseClick.objects.exists()


def test_a_get_records_nothing(anon):
    track = TrackFactory()
    assert anon.get(f"/api/v1/tracks/{track.pk}/purchase-click").status_code == 405
    assert not PurchaseClick.objects.exists()


def test_continue_needs_the_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    track = TrackFactory()
    assert strict.post(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=CHROME).status_code == 403
    assert PurchaseClick.objects.count() == 0


# --- Tracks that cannot be bought -------------------------------------------------------------

def test_a_hidden_track_cannot_be_bought(client):
    track = TrackFactory(status=Track.Status.HIDDEN)
    response = buy(client, track)
    assert response.status_code == 404 and "Location" not in response
    assert not PurchaseClick.objects.exists()


def test_an_unknown_track_is_not_found(client):
    response = client.post("/tracks/999999/buy/")
    assert response.status_code == 404 and "Location" not in response
    assert not PurchaseClick.objects.exists()


def test_an_other_platform_track_needs_staff_approval_before_its_button_appears(client):
    other = PlatformFactory(name="Other", slug="other", domains=[], requires_approval=True)
    track = TrackFactory(platform=other, purchase_url="https://shop.indie.example/t/1", buy_approved=False)
    assert "/buy/" not in client.get(track.get_absolute_url()).text
    assert buy(client, track).status_code == 404
    Track.objects.filter(pk=track.pk).update(buy_approved=True)
    pagecache.invalidate()  # as the admin's "Approve Buy button" action does
    assert f"/tracks/{track.pk}/buy/" in client.get(track.get_absolute_url()).text
    assert urlsplit(buy(client, track)["Location"]).netloc == "shop.indie.example"


def test_it_refuses_a_track_waiting_for_approval(anon):
    track = TrackFactory(buy_approved=False)
    assert anon.post(f"/api/v1/tracks/{track.pk}/purchase-click").status_code == 403
    assert not PurchaseClick.objects.exists()


def test_a_track_waiting_for_approval_is_refused_by_page_and_api_alike(client):
    track = TrackFactory(platform=PlatformFactory(name="Other", slug="other", domains=[], requires_approval=True),
                         purchase_url="https://music.example/x", buy_approved=False)
    assert buy(client, track).status_code == 404
    response = api_buy(client_with(), track)
    assert response.status_code == 403 and response.json()["error"]["code"] == "awaiting_approval"
    assert not PurchaseClick.objects.exists()


# --- Bad input: links from the request or off the platform -----------------------------------

def test_the_redirect_ignores_any_url_in_the_request(client):
    track = TrackFactory(purchase_url="https://suno.com/song/1")
    response = client.post(
        f"/tracks/{track.pk}/buy/?next=https://evil.example/&url=https://evil.example/",
        {"next": "https://evil.example/", "purchase_url": "https://evil.example/"}, HTTP_USER_AGENT=CHROME,
    )
    assert urlsplit(response["Location"]).netloc == "suno.com"


@pytest.mark.parametrize("url", [
    "http://suno.com/song/1",  # not https
    "https://evil.example/song/1",  # not the platform's domain
    "https://suno.com.evil.example/x",  # looks alike
    "https://user@evil.example/x",  # credentials trick
    "javascript:alert(1)",
])
def test_a_stored_link_off_the_platform_gets_no_button_and_no_redirect(client, url):
    track = TrackFactory()
    Track.objects.filter(pk=track.pk).update(purchase_url=url)  # as if it slipped past validation
    assert client.get(track.get_absolute_url()).text.count("/buy/") == 0
    assert client.get(f"/tracks/{track.pk}/buy/").status_code == 404
    assert buy(client, track).status_code == 404
    assert PurchaseClick.objects.count() == 0


def test_an_agent_cannot_get_a_purchase_link_the_page_refuses(client):
    # Stored before the domain rule tightened (or edited in the admin): approved, but off the platform's domains.
    track = TrackFactory(purchase_url="https://suno.com.evil.example/song/1", buy_approved=True)
    agent = client_with(key_for(CreatorFactory()))

    assert buy(client, track).status_code == 404
    response = api_buy(agent, track)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unsafe_link"
    assert "evil" not in response.text
    assert not PurchaseClick.objects.exists()

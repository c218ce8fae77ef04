"""Each behaviour has one rule, and the page and the API both go through it.

These are the drifts the feature packages closed: each test drives the page and the API (or the
admin) against the same data and expects the same answer.
"""


import pytest
from django.core.cache import cache

from marketplace.models import Track
from tests.factories import PlatformFactory, TrackFactory, UserFactory
from tests.helpers import client_with

pytestmark = pytest.mark.django_db
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


def page_buy(client, track, **extra):
    return client.post(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=CHROME, **extra)


def api_buy(client, track, **extra):
    return client.post(f"/api/v1/tracks/{track.pk}/purchase-click", HTTP_USER_AGENT=CHROME, **extra)


# --- Buy -------------------------------------------------------------------------------------


# --- Affiliate tagging -----------------------------------------------------------------------


# --- Visibility ------------------------------------------------------------------------------


# --- Vote history ----------------------------------------------------------------------------

def test_the_one_vote_history_shows_each_votes_weight_and_status(client):
    from voting.services import cast_vote

    voter = UserFactory()
    cast_vote(voter, TrackFactory(title="Weighed Song"), 1)
    client.force_login(voter)
    page = client.get("/account/votes/").text
    assert "Weighed Song" in page
    assert '<th scope="col">Weight</th>' in page and '<th scope="col">Status</th>' in page


# --- Rate limits -----------------------------------------------------------------------------

def test_vote_limits_count_under_the_cache_key_prefix(settings):
    """Two stores sharing one Redis under different prefixes (or a test run beside `make run`) never share limits."""
    from voting.ratelimit import RateLimited, check_vote_rate

    settings.VOTE_RATE_LIMITS = {tier: {60: 2} for tier in ("new", "free", "pro", "verified", "enterprise")}
    voter = UserFactory()
    original = cache.key_prefix
    try:
        cache.key_prefix = "another-store"
        check_vote_rate(voter)
        check_vote_rate(voter)
        with pytest.raises(RateLimited):
            check_vote_rate(voter)
    finally:
        cache.key_prefix = original
    check_vote_rate(voter)  # this store's own window is still empty
    check_vote_rate(voter)
    with pytest.raises(RateLimited):
        check_vote_rate(voter)


def test_api_limits_count_under_the_cache_key_prefix(settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "anon": {"read": "2/min", "write": "2/min",
                                                                     "vote": "2/min"}}
    anon = client_with()
    original = cache.key_prefix
    try:
        cache.key_prefix = "another-store"
        assert [anon.get("/api/v1/tools").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        cache.key_prefix = original
    assert anon.get("/api/v1/tools")["X-RateLimit-Remaining"] == "1"


# --- Page-cache retirement -------------------------------------------------------------------

def test_hiding_a_track_in_the_admin_takes_it_off_stored_visitor_pages_at_once(client, admin_client):
    track = TrackFactory(title="Soon Hidden")
    assert "Soon Hidden" in client.get("/browse/").text  # now stored for signed-out visitors
    assert client.get(track.get_absolute_url()).status_code == 200

    response = admin_client.post("/admin/marketplace/track/", {
        "action": "hide", "_selected_action": [track.pk],
    })

    assert response.status_code == 302
    track.refresh_from_db()
    assert track.status == Track.Status.HIDDEN
    assert "Soon Hidden" not in client.get("/browse/").text
    assert client.get(track.get_absolute_url()).status_code == 404


def test_approving_a_link_in_the_admin_shows_the_buy_button_to_visitors_at_once(client, admin_client):
    other = PlatformFactory(name="Other", slug="other", domains=[], requires_approval=True)
    track = TrackFactory(title="Awaiting", platform=other, purchase_url="https://music.example/x", buy_approved=False)
    assert f'/tracks/{track.pk}/buy/' not in client.get(track.get_absolute_url()).text

    admin_client.post("/admin/marketplace/track/", {"action": "approve_buy", "_selected_action": [track.pk]})

    assert f'/tracks/{track.pk}/buy/' in client.get(track.get_absolute_url()).text

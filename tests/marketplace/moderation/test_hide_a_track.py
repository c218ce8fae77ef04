"""Staff hide a track with a reason: it leaves every public page, list, feed, sitemap, embed and API
read on the very next request, and its creator is told why (dashboard and email)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from marketplace.models import Track
from marketplace.moderation import services
from marketplace.moderation.models import ModerationNotice, Report
from tests.factories import TrackFactory, UserFactory
from voting import rankings
from voting.models import TrackScore

pytestmark = pytest.mark.django_db

TITLE = "Vanishing Echo"
PAGES = [
    "/", "/browse/", "/browse/?sort=top", f"/search/?q={TITLE}", "/search/suggest/?q=Vanish", "/top/",
    "/top/weekly/", "/top/alltime/", "/trending/", "/feeds/new/", "/feeds/new/atom/", "/feeds/top/",
    "/feeds/top/atom/",
]
API_READS = ["/api/v1/tracks", f"/api/v1/tracks?q={TITLE}", "/api/v1/trending", "/api/v1/top/weekly",
             "/api/v1/top/alltime", "/api/v1/discovery/discover"]


@pytest.fixture
def track():
    track = TrackFactory(title=TITLE)
    TrackScore.objects.filter(track=track).update(score=50, score_weekly=50, score_daily=50, score_monthly=50,
                                                  trending_at_epoch=50, upvotes=50)
    rankings.refresh_rankings()
    return track


def own_pages(track):
    return [track.creator.get_absolute_url(), track.get_absolute_url(), f"/embed/tracks/{track.pk}/",
            f"/listen/tracks/{track.pk}/waveform/"]


def test_a_hidden_track_is_gone_from_every_page_and_api_read_at_once(client, api, track):
    def shown():
        link = f"/tracks/{track.pk}/"  # pages link to it; the title alone may be the query echoed back
        found = {url for url in PAGES + [track.creator.get_absolute_url()] if link in client.get(url).text}
        found |= {url for url in API_READS if TITLE in api.get(url).content.decode()}
        found |= {url for url in own_pages(track)[1:] if client.get(url).status_code == 200}
        found |= {"api track" for _ in [0] if api.get(f"/api/v1/tracks/{track.pk}").status_code == 200}
        found |= {"sitemap" for _ in [0] if link in client.get("/sitemap-tracks.xml").text}
        return found

    before = shown()  # every listing has it, and signed-out visitors' pages are now stored
    assert before == set(PAGES + API_READS + own_pages(track) + ["api track", "sitemap"])

    services.hide(track, "Uploaded without the rights to the sample", UserFactory(is_staff=True))

    assert shown() == set()


def test_hiding_needs_a_reason_and_tells_the_creator(django_capture_on_commit_callbacks, client, track):
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError) as refused:
        services.hide(track, "  ", staff)
    assert "reason" in refused.value.message_dict
    Report.objects.create(reporter=UserFactory(), target_type="track", target_id=track.pk, reason="copyright")

    with django_capture_on_commit_callbacks(execute=True):
        services.hide(track, "Sample not cleared", staff)

    track.refresh_from_db()
    assert (track.status, track.moderation_reason) == (Track.Status.HIDDEN, "Sample not cleared")
    assert Report.objects.get().status == Report.Status.ACTIONED
    assert ModerationNotice.objects.get(creator=track.creator).kind == "hidden"
    assert mail.outbox[-1].to == [track.creator.email] and "Sample not cleared" in mail.outbox[-1].body
    client.force_login(track.creator)
    dashboard = client.get("/dashboard/").text
    assert "Sample not cleared" in dashboard and f"/dashboard/tracks/{track.pk}/appeal/" in dashboard


def test_restoring_brings_it_back_and_tells_the_creator(django_capture_on_commit_callbacks, client, track):
    staff = UserFactory(is_staff=True)
    services.hide(track, "Looked like spam", staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.restore(track, staff)
    assert TITLE in client.get("/browse/").text
    track.refresh_from_db()
    assert track.moderation_reason == ""
    assert "public again" in mail.outbox[-1].body

"""A buyer reports a content-ID claim on a YouTube-safe track; an upheld claim takes the badge away."""

import pytest

from marketplace.licensing.models import ContentIdClaim
from tests.factories import TrackFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def safe_track():
    return TrackFactory(title="Claimed Anyway", youtube_safe_attested=True)


def test_a_buyer_reports_a_claim_and_staff_uphold_it(client, signed_in, admin_client, safe_track):
    buyer = signed_in(UserFactory())
    assert "Report the claim" in client.get(safe_track.get_absolute_url()).text
    response = client.post(f"/tracks/{safe_track.pk}/report-claim/", {"video_url": "https://youtu.be/abc",
                                                                      "note": "Claimed by a CMS"})
    assert response.status_code == 302 and response["Location"] == safe_track.get_absolute_url()
    claim = ContentIdClaim.objects.get()
    assert claim.reporter == buyer and claim.status == "open" and claim.video_url == "https://youtu.be/abc"
    admin_client.post("/admin/marketplace/contentidclaim/", {"action": "uphold", "_selected_action": [claim.pk]})
    safe_track.refresh_from_db()
    assert not safe_track.youtube_safe
    assert "badge--safe" not in client.get(safe_track.get_absolute_url()).text


def test_a_bad_video_link_is_explained_beside_the_field(client, signed_in, safe_track):
    signed_in(UserFactory())
    response = client.post(f"/tracks/{safe_track.pk}/report-claim/", {"video_url": "not a link"})
    assert response.status_code == 400 and 'id="claim-video-errors"' in response.text
    assert not ContentIdClaim.objects.exists()


def test_only_signed_in_buyers_report_and_only_on_youtube_safe_tracks(client, signed_in, safe_track):
    assert client.post(f"/tracks/{safe_track.pk}/report-claim/", {"video_url": "https://youtu.be/x"}).status_code == 302
    assert "Log in</a> to report it" in client.get(safe_track.get_absolute_url()).text
    signed_in(UserFactory())
    other = TrackFactory()
    assert client.post(f"/tracks/{other.pk}/report-claim/", {"video_url": "https://youtu.be/x"}).status_code == 404
    assert client.get(f"/tracks/{safe_track.pk}/report-claim/").status_code == 405
    assert not ContentIdClaim.objects.exists()

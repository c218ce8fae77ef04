from urllib.parse import parse_qs, urlsplit

from marketplace.models import PurchaseClick
from tests.factories import TrackFactory


def test_it_records_a_click_and_answers_the_tagged_purchase_url(anon):
    track = TrackFactory(purchase_url="https://suno.com/song/1?ref=x")
    response = anon.post(f"/api/v1/tracks/{track.pk}/purchase-click")
    assert response.status_code == 201
    body = response.json()
    click = PurchaseClick.objects.get()
    query = parse_qs(urlsplit(body["purchase_url"]).query)
    assert query == {"ref": ["x"], "affiliate": ["aimusicstore"], "click_id": [str(click.click_id)]}
    assert body["click_id"] == str(click.click_id) and click.track == track and click.user is None


def test_it_links_the_click_to_the_keys_user(api, creator):
    track = TrackFactory()
    api.post(f"/api/v1/tracks/{track.pk}/purchase-click")
    assert PurchaseClick.objects.get().user == creator


def test_it_refuses_a_track_waiting_for_approval(anon):
    track = TrackFactory(buy_approved=False)
    assert anon.post(f"/api/v1/tracks/{track.pk}/purchase-click").status_code == 403
    assert not PurchaseClick.objects.exists()


def test_a_get_records_nothing(anon):
    track = TrackFactory()
    assert anon.get(f"/api/v1/tracks/{track.pk}/purchase-click").status_code == 405
    assert not PurchaseClick.objects.exists()

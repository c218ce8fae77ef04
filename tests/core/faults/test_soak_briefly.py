"""A short soak in the suite (`make soak` is the 10-minute one): mixed traffic against a live server while
its Redis is killed and started again; no 5xx, and clicks and sales acknowledged == stored."""

import pytest

from marketplace.models import PurchaseClick, Sale
from tests.core.faults.traffic import Traffic
from tests.factories import TrackFactory

SECRET = "soak-postback-secret"


@pytest.fixture
def behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.AFFILIATE_POSTBACK_SECRET = SECRET


def test_a_short_soak_with_redis_killed_midway_loses_no_click_or_sale(live_server, throwaway_redis,
                                                                      behind_the_proxy):
    tracks = [TrackFactory(price="1.99").pk for _ in range(3)]
    with Traffic(live_server.url, tracks, postback_secret=SECRET) as traffic:
        traffic.wait_for(lambda: traffic.sales >= 5, 90, "sales before the fault")
        throwaway_redis.stop()
        down = traffic.sales
        traffic.wait_for(lambda: traffic.sales >= down + 5, 90, "sales while Redis is down")
        throwaway_redis.start()
        up = traffic.sales
        traffic.wait_for(lambda: traffic.sales >= up + 5, 90, "sales after Redis returns")
    print(traffic.summary())
    assert {key: n for key, n in traffic.codes.items() if key[1] >= 500} == {}, traffic.summary()
    assert traffic.failures == []
    assert PurchaseClick.objects.count() == traffic.clicks
    assert Sale.objects.count() == traffic.sales

"""`make run` prints a ready, signed curl that reports a demo sale; pasting it records the sale."""

import json
import shlex
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from marketplace.models import LedgerEntry, Sale
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def printed_curl(**kwargs):
    out = StringIO()
    call_command("demo_postback", stdout=out, **kwargs)
    return shlex.split(out.getvalue())


def click_id(argv):
    return json.loads(argv[argv.index("-d") + 1])["click_id"]


def test_the_printed_curl_records_a_sale_for_the_demo_creator(client, settings):
    settings.DEBUG, settings.AFFILIATE_POSTBACK_SECRET = True, "demo-postback-secret"
    track = TrackFactory(price="2.49")
    argv = printed_curl(url="http://127.0.0.1:8000")
    assert argv[0] == "curl" and argv[-1] == "http://127.0.0.1:8000/api/v1/affiliate/postback"
    signature = argv[argv.index("-H", 3) + 1].removeprefix("X-Signature: ")
    body = argv[argv.index("-d") + 1]

    response = client.post("/api/v1/affiliate/postback", body, content_type="application/json",
                           HTTP_X_SIGNATURE=signature)

    assert response.status_code == 201, response.json()
    sale = Sale.objects.get()
    assert sale.track == track and str(sale.amount) == "2.49"
    assert LedgerEntry.objects.get(sale=sale).creator == track.creator


def test_running_it_again_reuses_the_demo_click(settings):
    settings.DEBUG, settings.AFFILIATE_POSTBACK_SECRET = True, "s"
    TrackFactory()
    first, second = printed_curl(), printed_curl()
    assert click_id(first) == click_id(second)


def test_it_refuses_outside_the_demo_store(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_postback")

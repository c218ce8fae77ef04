"""/agents/ teaches webhooks (events, the signature check) and Python that checks statuses and Retry-After."""

import hashlib
import hmac
import html
import re
import time

import pytest

from marketplace.models import Webhook

pytestmark = pytest.mark.django_db


def test_the_guide_lists_every_event_and_the_signature_scheme(client):
    page = client.get("/agents/").content.decode()
    assert 'id="webhooks"' in page
    for event in Webhook.Event.values:
        assert f"<code>{event}</code>" in page
    assert "X-Signature: t=&lt;unix seconds&gt;,v1=" in page and "replay" in page


def test_the_guides_python_honours_retry_after_and_checks_statuses(client):
    page = client.get("/agents/").content.decode()
    assert 'id="python"' in page
    assert 'response.headers.get("Retry-After"' in html.unescape(page)
    assert "response.status_code &gt;= 400" in page


def test_the_guides_signature_check_accepts_a_delivery_and_refuses_a_replay(client):
    """The verify() printed on the page, run as printed, against a header made as deliveries make it."""
    page = html.unescape(client.get("/agents/").content.decode())
    code = re.search(r"<code>(import hashlib, hmac, time.*?)</code>", page, re.S).group(1)
    namespace = {}
    exec(compile(code, "guide", "exec"), namespace)  # noqa: S102 - our own page's example
    from marketplace.webhooks import signing

    body = b'{"type":"track.published"}'
    namespace["verify"]("whsec_x", body, signing.sign("whsec_x", body))
    with pytest.raises(ValueError, match="replay"):
        namespace["verify"]("whsec_x", body, signing.sign("whsec_x", body, timestamp=time.time() - 301))
    with pytest.raises(ValueError, match="bad signature"):
        forged = hmac.new(b"other", b"x", hashlib.sha256).hexdigest()
        namespace["verify"]("whsec_x", body, f"t={int(time.time())},v1={forged}")

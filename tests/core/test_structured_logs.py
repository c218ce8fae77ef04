"""Logs are JSON lines carrying the id of their request, which the response names too."""

import json
import logging

import pytest

from aimusicstore.logs import JsonFormatter, RequestIdFilter, request_id

pytestmark = pytest.mark.django_db


def test_every_response_names_its_request_id_and_keeps_a_proxys(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="abc-12345-xyz")["X-Request-ID"] == "abc-12345-xyz"
    assert client.get("/", HTTP_X_REQUEST_ID="bad id\r\n")["X-Request-ID"] != "bad id\r\n"


def test_a_log_line_is_json_with_the_request_id():
    token = request_id.set("req-123456")
    try:
        record = logging.LogRecord("marketplace", logging.WARNING, __file__, 1, "view of %s", ("x",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "req-123456" and line["message"] == "view of x" and line["level"] == "warning"

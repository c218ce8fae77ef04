"""Pages carry CSP (no inline scripts), Permissions-Policy, COOP and frame denial; only the embed may be framed."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import TrackFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_forbid_inline_scripts_and_framing(client):
    track = TrackFactory()
    for url in ("/", track.get_absolute_url(), "/accounts/login/", "/api/v1/tracks"):
        response = client.get(url)
        csp = directives(response)
        assert csp["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
        assert csp["frame-ancestors"] == ["'none'"] and response["X-Frame-Options"] == "DENY", url
        assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_embed_player_may_be_framed_anywhere(client):
    track = TrackFactory()
    response = client.get(f"/embed/tracks/{track.pk}/")
    assert response.status_code == 200
    assert "frame-ancestors" not in directives(response) and "X-Frame-Options" not in response
    assert directives(response)["script-src"] == ["'self'"]


def test_the_policy_built_once_is_the_one_django_csp_builds_and_follows_the_settings(client, settings):
    from csp.utils import build_policy

    assert client.get("/")["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
                                                       "img-src": ["'self'"]}}
    assert directives(client.get("/"))["img-src"] == ["'self'"]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    assert client.get("/")["Content-Security-Policy-Report-Only"] == "default-src 'self'"


def test_https_requests_get_hsts_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_check_deploy_is_clean_with_production_settings():
    dev_only = ("DEBUG", "TESTING", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dev_only}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="aimusicstore.com")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

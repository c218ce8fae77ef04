import os
from pathlib import Path

import pytest

from tests.helpers import client_with, key_for

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls
# made from that thread are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--mute-audio", "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def creator(db):
    """A creator account; page modules that need one signed in override this with their own."""
    from tests.factories import CreatorFactory

    return CreatorFactory()


@pytest.fixture
def creator_key(creator):
    return key_for(creator)


@pytest.fixture
def api(creator_key):
    """An API client holding the creator's key."""
    return client_with(creator_key)


@pytest.fixture
def anon(db):
    """An API client with no key."""
    return client_with()


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty cache on the real Redis."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def live_worker(transactional_db):
    """A real Celery worker thread consuming from the real Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from aimusicstore.celery import app

    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        yield app


@pytest.fixture(autouse=True, scope="session")
def _live_server_media_through_our_urls():
    """Let the live server hand /media/ to our own media view (HTTP ranges, so audio seeks), as runserver does.

    Django's LiveServerThread otherwise serves media itself with django.views.static.serve, which has no ranges.
    """
    from django.test import testcases

    testcases._MediaFilesHandler._should_handle = lambda self, path: False
    yield


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page that fails the test on any console or page error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the browser console: {errors}"


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client (its own client), with the TOTP staff need for /admin/ (tests/staff.py)."""
    from django.test import Client

    from tests.staff import admin_session

    return admin_session(Client(), admin_user)


@pytest.fixture
def signed_in(client):
    """Sign the test client in as a user and hand the user back: `buyer = signed_in(UserFactory())`."""

    def sign_in(user):
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def own_track_titled(signed_in):
    """`own_track_titled("Counted")`: a new published track whose creator the test client is signed in as."""
    from tests.factories import TrackFactory

    def make(title):
        track = TrackFactory(title=title)
        signed_in(track.creator)
        return track

    return make

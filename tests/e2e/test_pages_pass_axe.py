"""Every key page, in light and dark, has no serious or critical accessibility problem axe-core can find.

axe-core comes inside the axe-playwright-python wheel (no npm needed); the site picks dark mode
from the browser's prefers-color-scheme, which Playwright emulates.
"""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from marketplace.demo import media
from marketplace.models import FeaturedPlacement, Track
from tests.factories import CreatorFactory, PlatformFactory, ToolFactory, TrackFactory
from voting.models import ToolScore, TrackScore

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


@pytest.fixture
def store():
    creator = CreatorFactory(display_name="Nova Drift", bio="Synth textures recorded at dawn.")
    tool = ToolFactory(name="Suno AI", tagline="Full songs from a text prompt", company="Suno")
    ToolScore.objects.filter(tool=tool).update(score=18, upvotes=18)
    platform = PlatformFactory()
    tracks = []
    for i, genre in enumerate(["electronic", "jazz", "ambient", "synthwave"]):
        track = TrackFactory.build(creator=creator, platform=platform, title=f"Chill Signal {i}", genre=genre,
                                   tool=tool, description="**Warm** pads and a slow pulse.", tags=["chill", "night"])
        track.cover.save(f"axe{i}.jpg", ContentFile(media.draw_cover(track.title, "Nova Drift", genre, i)),
                         save=False)
        track.save()
        TrackScore.objects.filter(track=track).update(score=i * 3 + 1, trending_at_epoch=i + 1, score_weekly=i + 1,
                                                      upvotes=i * 3 + 1)
        tracks.append(track)
    TrackFactory(creator=creator, platform=platform, tool=tool, title="Pending Signal", status=Track.Status.PENDING)
    now = timezone.now()
    for kind in (FeaturedPlacement.Kind.EDITORS_PICK, FeaturedPlacement.Kind.HOMEPAGE):
        FeaturedPlacement.objects.create(kind=kind, track=tracks[0], sponsored=kind == "homepage",
                                         starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7))
    return {"creator": creator, "tool": tool, "track": tracks[0]}


def pages(store):
    return {
        "home": "/", "trending": "/trending/", "top": "/top/", "browse grid": "/browse/",
        "browse list": "/browse/?view=list", "search": "/search/?q=chill", "track": store["track"].get_absolute_url(),
        "tool": store["tool"].get_absolute_url(), "creator": store["creator"].get_absolute_url(),
        "waitlist": "/waitlist/", "agents": "/agents/", "how ranking works": "/how-ranking-works/",
        "tools": "/tools/", "creators": "/creators/",
        "terms": "/legal/terms/", "privacy": "/legal/privacy/", "not found": "/no-such-page/",
        # signed in as the creator from here on
        "account": "/account/", "dashboard": "/dashboard/", "upload": "/dashboard/upload/",
        "earnings": "/dashboard/earnings/", "analytics": "/dashboard/analytics/",
    }


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def describe(violation):
    nodes = "; ".join(f"{' '.join(node['target'][-1:])}: {node.get('failureSummary', '').splitlines()[-1].strip()}"
                      for node in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×) {nodes}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_key_pages_have_no_serious_accessibility_violations(live_server, page, store, scheme):
    page.emulate_media(color_scheme=scheme)
    axe = Axe()
    found = {}
    for name, path in pages(store).items():
        if name == "account":
            sign_in(page, live_server, store["creator"])
        page.goto(live_server.url + path)
        if name == "not found":  # the browser logs the 404 itself; that one is expected
            page.js_errors[:] = [error for error in page.js_errors if "404" not in error]
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
        results = axe.run(page).response
        blocking = [describe(v) for v in results["violations"] if v["impact"] in BLOCKING]
        if blocking:
            found[name] = blocking
    assert not found, "axe found, in " + scheme + ":\n" + "\n".join(
        f"  {name}: {problem}" for name, problems in found.items() for problem in problems)

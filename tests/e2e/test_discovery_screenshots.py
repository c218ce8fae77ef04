"""Every discovery page, at phone and desktop widths, in light and dark: screenshots for people to look at."""

import pytest
from django.core.files.base import ContentFile

from accounts.models import Follow
from marketplace.demo import media
from tests.factories import CreatorFactory, PlatformFactory, ToolFactory, TrackFactory, UserFactory
from voting.models import ToolScore, TrackScore

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GENRES = ["electronic", "jazz", "ambient", "synthwave", "hip-hop", "rock"]


@pytest.fixture
def store():
    creator = CreatorFactory(display_name="Nova Drift", bio="Synth textures recorded at dawn.",
                             links=["https://nova.example.test"])
    Follow.objects.create(follower=UserFactory(), creator=creator)
    tool = ToolFactory(name="Suno AI", tagline="Full songs from a text prompt", company="Suno")
    ToolScore.objects.filter(tool=tool).update(score=18, upvotes=18)
    tracks, platform = [], PlatformFactory()
    for i in range(8):
        genre = GENRES[i % len(GENRES)]
        track = TrackFactory.build(creator=creator, platform=platform, title=f"Golden Signal {i}", genre=genre,
                                   tool=tool, description="**Warm** pads and a slow pulse.", tags=["night", "drive"],
                                   duration=150 + i)
        track.cover.save(f"shot{i}.jpg", ContentFile(media.draw_cover(track.title, "Nova Drift", genre, i)),
                         save=False)
        track.save()
        TrackScore.objects.filter(track=track).update(score=i * 3, trending_at_epoch=i, score_weekly=i, upvotes=i * 3)
        tracks.append(track)
    return {"creator": creator, "tool": tool, "track": tracks[-1]}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_discovery_pages_fit_every_width(live_server, page, screenshot, store, width, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 900})
    pages = {
        "home": "/",
        "browse": "/browse/?genre=jazz&genre=electronic",
        "search": "/search/?q=golden",
        "track": store["track"].get_absolute_url(),
        "tool": store["tool"].get_absolute_url(),
        "creator": store["creator"].get_absolute_url(),
        "top": "/top/weekly/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.evaluate("() => Promise.all([...document.images].map(i => (i.loading = 'eager', i.decode?.()"
                      ".catch(() => {}))))")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        assert screenshot(f"discovery-{name}-{width}-{scheme}").stat().st_size > 10_000

"""The demo catalogue's rights are varied enough that every licence, YouTube-safe and AI filter finds tracks."""

import random

import pytest
from django.http import QueryDict

from marketplace.discovery.filters import TrackFilter
from marketplace.licensing.demo import seed_licensing
from marketplace.licensing.models import AI_SUMMARIES, USE_CODES
from marketplace.models import Track
from tests.factories import CreatorFactory, TrackFactory

pytestmark = pytest.mark.django_db


def test_every_filter_returns_something_in_the_demo_catalogue():
    tracks = TrackFactory.create_batch(12, creator=CreatorFactory(password=None))
    seed_licensing(random.Random(2026), tracks)
    queries = [f"use={use}" for use in USE_CODES]
    queries += ["youtube_safe=1", "use=online_monetised&youtube_safe=1"] + [f"ai={code}" for code, _ in AI_SUMMARIES]
    for query in queries:
        assert TrackFilter(QueryDict(query), queryset=Track.objects.all()).qs.exists(), query

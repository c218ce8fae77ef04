"""Spam controls on supply: how fast a creator may upload, and which uploads wait for a moderator.

`publish_track` (catalogue) calls both, inside its transaction with the creator's row locked, so
concurrent uploads by one creator are counted one after another and the form and the API obey one rule.
"""

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import tiers
from marketplace.models import Track

WINDOW_WORDS = {3600: "hour", 86400: "day"}
# Held-for-review rules: a preview this short is not a real preview.
MIN_PREVIEW_SECONDS = 10
# SEO-stuffed titles: links, shouting, hashtags or keyword lists instead of a name.
MAX_TITLE_HASHTAGS = 2
MAX_TITLE_KEYWORDS = 5  # "lofi | chill | study | beats | relax | sleep"
MAX_TAGS = 15
ALL_CAPS_MIN_LETTERS = 12
URL_IN_TITLE = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|net|org|io|ly|me|xyz|ru|shop|app)\b)", re.I)
KEYWORD_SEPARATORS = re.compile(r"\s*[|,/•·]\s*")


class UploadRateLimited(ValidationError):
    """Too many uploads in a window; `retry_after` says in how many seconds one more is allowed."""

    def __init__(self, message, retry_after):
        super().__init__(message, code="upload_rate_limited")
        self.retry_after = retry_after


def check_upload_rate(creator, now=None):
    """Refuse an upload over the creator's per-hour or per-day allowance (tiers.UPLOAD_RATE_LIMITS)."""
    now = now or timezone.now()
    for seconds, allowed in sorted(tiers.upload_rate_limits(creator.tier).items()):
        since = now - timedelta(seconds=seconds)
        recent = Track.objects.filter(creator=creator, created_at__gt=since).order_by("created_at")
        times = list(recent.values_list("created_at", flat=True)[:allowed])
        if len(times) >= allowed:
            retry_after = max(1, int((times[0] + timedelta(seconds=seconds) - now).total_seconds()) + 1)
            raise UploadRateLimited(
                f"You can upload {allowed} tracks per {WINDOW_WORDS.get(seconds, f'{seconds} s')} on your "
                f"{creator.get_tier_display()} plan; try again in {_minutes(retry_after)}.",
                retry_after,
            )


def _minutes(seconds):
    return f"{seconds} s" if seconds < 120 else f"{round(seconds / 60)} minutes"


def title_problem(title):
    """Why a title looks like search-engine stuffing rather than a name, or ''."""
    if URL_IN_TITLE.search(title):
        return "the title contains a link"
    letters = [c for c in title if c.isalpha()]
    if len(letters) >= ALL_CAPS_MIN_LETTERS and all(c.isupper() for c in letters):
        return "the title is in capitals"
    if title.count("#") > MAX_TITLE_HASHTAGS:
        return "the title is a list of hashtags"
    if len([part for part in KEYWORD_SEPARATORS.split(title) if part]) > MAX_TITLE_KEYWORDS:
        return "the title is a list of keywords"
    return ""


def review_reasons(track, preview_length=None, now=None):
    """Why a new upload should wait for a moderator instead of going live: a list of plain reasons."""
    now = now or timezone.now()
    reasons = []
    if preview_length is not None and preview_length < MIN_PREVIEW_SECONDS:
        reasons.append(f"the preview is {preview_length:.1f} s long (at least {MIN_PREVIEW_SECONDS} s)")
    duplicate = Track.objects.filter(
        creator=track.creator, title__iexact=track.title.strip(), created_at__gte=now - timedelta(days=1),
    ).exclude(status=Track.Status.REMOVED)
    if duplicate.exists():
        reasons.append("you uploaded a track with the same title in the last 24 hours")
    problem = title_problem(track.title)
    if problem:
        reasons.append(problem)
    if len(track.tags or []) > MAX_TAGS:
        reasons.append(f"it has {len(track.tags)} tags (at most {MAX_TAGS})")
    return reasons


def hold_for_review(track, reasons):
    """Mark a new upload "Pending review" with its reasons; the creator is emailed once it is saved."""
    from marketplace.supply import tasks

    track.status = Track.Status.PENDING
    track.review_reason = "; ".join(reasons)[:300]
    transaction.on_commit(lambda: tasks.email_creator_track_held.delay(track.pk))

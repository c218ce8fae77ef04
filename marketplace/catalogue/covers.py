"""Cover thumbnails: WebP copies of a track's cover at the widths pages show it, for `<img srcset>`.

A cover is stored once at up to 1200 px (validators.COVER_STORED_SIDE) but shown at 48 px in a
chart row, ~120–260 px on a card and ~420–520 px on a track page; the browser picks the smallest
copy that is sharp at its pixel density from `srcset` + `sizes` (marketplace/templatetags/covers.py).

Each copy is named after its cover on the cover's own storage (covers/2026/01/cover_x1.jpg →
covers/2026/01/cover_x1.320w.webp), so S3-compatible storage works as the local disk does and a
page builds every URL without asking the storage anything. `Track.cover_thumbnails` says which
cover the copies were made of and at which widths; a page uses them only while that is still the
track's cover, and shows the cover itself otherwise.

When: Track.save() queues `make_cover_thumbnails` in the worker whenever its cover has none (a new
cover from the studio, the API or the admin: up to a second of resizing, too slow for the request);
seed_demo makes them in line; `manage.py cover_thumbnails` backfills covers saved before.

Every browser that reads `srcset` decodes WebP, so no JPEG copies are made: the stored JPEG stays
the `src` (and the og:image, the e-mails' and the media session's picture).
"""

import io
import logging
import posixpath

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

# 48 px rows and the player at 2×, search hits, phone cards and hero covers, desktop cards, the
# track page, and their 2× copies. Widths under the cover's own are made, plus the cover's own
# width when it is not over the largest (a 600 px demo cover: 96 … 480 and 600; a 1200 px one: 96 … 960).
WIDTHS = (96, 192, 320, 480, 640, 960)
WEBP_QUALITY = 80
UNREADABLE = (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError)


def thumbnail_name(cover_name, width):
    stem, _ = posixpath.splitext(cover_name)
    return f"{stem}.{width}w.webp"


def widths_for(original_width):
    widths = {w for w in WIDTHS if w < original_width}
    if original_width <= WIDTHS[-1]:
        widths.add(original_width)
    return sorted(widths)


def _encode(image, width):
    if image.width != width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def make_thumbnails(track, data=None):
    """Write the WebP copies of `track.cover` and set `track.cover_thumbnails` (the caller saves it).

    `data` is the cover's bytes when the caller has them; otherwise they are read from storage.
    Returns the widths made.
    """
    if not track.cover:
        track.cover_thumbnails = {}
        return []
    storage, name = track.cover.storage, track.cover.name
    if data is None:
        with storage.open(name, "rb") as handle:
            data = handle.read()
    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("RGB")
    made = []
    for width in widths_for(image.width):
        target = thumbnail_name(name, width)
        if storage.exists(target):
            storage.delete(target)  # a re-run replaces its own copies; covers themselves are never overwritten
        saved = storage.save(target, ContentFile(_encode(image, width)))
        if saved != target:  # another writer got there between delete and save: leave this width out
            storage.delete(saved)
            continue
        made.append(width)
    track.cover_thumbnails = {"of": name, "widths": made}
    return made


def made_of_current(track):
    """True when the track's thumbnails (maybe none: an unreadable cover) were made of its present cover."""
    return bool(track.cover) and (track.cover_thumbnails or {}).get("of") == track.cover.name


def current(track):
    """The widths of the track's thumbnails, [] when it has none of its present cover."""
    return (track.cover_thumbnails or {}).get("widths") or [] if made_of_current(track) else []


def make_and_record(track_id, cover_name):
    """Make one cover's thumbnails and record them, unless the track's cover changed meanwhile (the worker's job)."""
    from aimusicstore import pagecache
    from marketplace.models import Track

    track = Track.objects.filter(pk=track_id, cover=cover_name).only("pk", "cover", "cover_thumbnails").first()
    if track is None:
        return []
    try:
        widths = make_thumbnails(track)
    except UNREADABLE:
        logger.warning("cover %s of track %s is unreadable: no thumbnails", cover_name, track_id)
        widths, track.cover_thumbnails = [], {"of": cover_name, "widths": []}  # not retried on every save
    if Track.objects.filter(pk=track_id, cover=cover_name).update(cover_thumbnails=track.cover_thumbnails):
        pagecache.invalidate()  # stored pages show the cover without its srcset
    return widths


def schedule_thumbnails(track):
    """Queue the thumbnails of the track's cover once the save commits (Track.save calls this)."""
    from aimusicstore.enqueue import enqueue
    from marketplace.catalogue.tasks import make_cover_thumbnails

    track_id, cover_name = track.pk, track.cover.name
    transaction.on_commit(lambda: enqueue(make_cover_thumbnails, track_id, cover_name))


def backfill(redo=False):
    """Make the thumbnails of every cover that has none of its own (every cover with `redo`); return how many."""
    from aimusicstore import pagecache
    from marketplace.models import Track

    made = 0
    for track in Track.objects.exclude(cover="").only("pk", "cover", "cover_thumbnails").iterator(chunk_size=500):
        if not redo and made_of_current(track):
            continue
        try:
            make_thumbnails(track)
        except UNREADABLE:  # missing from storage or not an image: its pages keep the cover itself
            logger.warning("cover %s of track %s is unreadable: no thumbnails", track.cover.name, track.pk)
            continue
        Track.objects.filter(pk=track.pk, cover=track.cover.name).update(cover_thumbnails=track.cover_thumbnails)
        made += 1
    if made:
        pagecache.invalidate()  # stored pages show the covers without their srcset
    return made


def thumbnail_url(track, min_width):
    """The URL of the smallest thumbnail at least `min_width` px wide (the largest, or the cover itself)."""
    if not track.cover:
        return ""
    widths = current(track)
    if not widths:
        return track.cover.url
    width = next((w for w in widths if w >= min_width), widths[-1])
    return track.cover.storage.url(thumbnail_name(track.cover.name, width))


def srcset(track, largest_css_px=None):
    """'url 96w, url 192w, …' for the track's thumbnails; '' while it has none.

    With `largest_css_px` (the most CSS px the slot is ever shown at), copies past what a 3× screen
    needs there are left out: a 48 px row lists 96w and 192w, not all of them.
    """
    widths = current(track)
    if not widths:
        return ""
    if largest_css_px:
        enough = next((i for i, w in enumerate(widths) if w >= 3 * largest_css_px), len(widths) - 1)
        widths = widths[: enough + 1]
    storage, name = track.cover.storage, track.cover.name
    return ", ".join(f"{storage.url(thumbnail_name(name, w))} {w}w" for w in widths)

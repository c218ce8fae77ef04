"""Track cards rendered once per version and reused on every page that shows them.

A card (templates/marketplace/partials/track_card.html) is the costliest thing on most pages: about
1.5 ms each to render, six on a track page, twenty-four on browse, and a page nobody has opened in
the last 30 s (the long tail of a catalogue, or a new filter combination on browse) renders all of
them. What a card shows of its track is the same on every page, so the card a visitor sees is kept
in Redis and copied in, with the page's own address put where the card links back to it (its
login links carry `?next=`).

A card is kept under its track and everything it shows that can change: the track's row
(`updated_at`), its score and counts, its rating, its licence, whether it is an editor's pick now,
its platform's terms, how its cover loads at that place on the page, and the code that draws it.
The page cache's generation (aimusicstore.pagecache) is stored with it, so a profile, a placement or
any change that retires the stored pages retires the cards too.

Two kinds of card are kept: a visitor's, and the one in the member version of a shared page
(aimusicstore.personal), which is drawn for nobody in particular and leaves holes for each member's
own votes, hearts and playlists. That card is kept with its holes; copied into a page, its holes
are numbered after the page's own, and its playlist menu gets the page's next field-id suffix. A
card drawn for one signed-in member (a page that is theirs alone) holds their own state and the
form tokens of their session, and is never kept.
"""

import hashlib
import logging
import pickle
import re
from functools import cache as once
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from aimusicstore import pagecache, personal
from marketplace.templatetags.placements import is_editors_pick
from marketplace.templatetags.playlist_tags import menu_suffix

logger = logging.getLogger(__name__)

TEMPLATE = "marketplace/partials/track_card.html"
TTL = 300
KEY_PREFIX = "card:"
# Rendered in place of the page's own address (request.get_full_path()); "!" is the one character
# that survives HTML escaping as it is and is changed by the `urlencode` filter, so the two ways a
# card writes the address come out apart and each gets the address written its own way.
PATH_MARK = "/!card-page!"
PATH_MARK_URLENCODED = quote(PATH_MARK, safe="/")
MENU_MARK = "-!card-menu!"  # in place of the playlist menu's field-id suffix (playlist_tags.menu_suffix)
_HOLE_RE = re.compile(r"\x00ph:(\d+)\x00")  # personal.SENTINEL
_TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
# Context a card reads that a view may set around it; a card under any of them is not a visitor's plain card.
_PAGE_OWN = ("next", "state", "vote_error", "labelled")


class _PageMarked:
    """The request, but its address is PATH_MARK: what a kept card is rendered with."""

    menu_suffix_mark = MENU_MARK

    def __init__(self, request):
        object.__setattr__(self, "_request", request)

    def get_full_path(self):
        return PATH_MARK

    def __getattr__(self, name):
        return getattr(self._request, name)

    def __setattr__(self, name, value):
        setattr(self._request, name, value)  # memos the card's tags keep (picks, menu count) stay on the request


def render(context, track, cover_position=None, eager_covers=0):
    """The card for `track` in this context: kept and copied where it is drawn for nobody in particular,
    drawn for anyone else."""
    request = context.get("request")
    key = _key(context, request, track, cover_position, eager_covers)
    values = {"track": track, "cover_position": cover_position, "eager_covers": eager_covers}
    template = get_template(TEMPLATE).template
    if key is None:
        with context.push(**values):
            return template.render(context)
    holes = request._personal_holes if personal.storing_request() is request else None
    generation, kept = _kept(key)
    if kept is None:
        start = len(holes) if holes is not None else 0
        with context.push(request=_PageMarked(request), **values):
            html = str(template.render(context))
        kept = (_renumbered(html, -start), [_hole_renumbered(hole, -start) for hole in (holes or [])[start:]])
        if holes is not None:
            del holes[start:]  # put back below, as a copy is
        if generation is not None and _no_tokens(kept):
            _keep(key, generation, kept)
    return mark_safe(_copied(kept, request, holes))


def _copied(kept, request, holes):
    """A kept card as drawn for this page: its address, its menu's field ids, its holes after the page's."""
    html, own_holes = kept
    path = request.get_full_path()
    suffix = menu_suffix(request) if MENU_MARK in html or own_holes else None

    def this_page(text):
        text = text.replace(PATH_MARK, escape(path)).replace(PATH_MARK_URLENCODED, escape(quote(path, safe="/")))
        return text.replace(MENU_MARK, suffix) if suffix else text

    offset = len(holes) if holes is not None else 0
    for kind, args, member, variants in own_holes:
        args = {name: (path if value == PATH_MARK else suffix if value == MENU_MARK else value)
                for name, value in args.items()}
        holes.append(_hole_renumbered((kind, args, this_page(member),
                                       {state: this_page(text) for state, text in variants.items()}), offset))
    return _renumbered(this_page(html), offset)


def _no_tokens(kept):
    """Whether every form token in the card is the stored page's placeholder: no session's token is ever kept."""
    html, holes = kept
    texts = [html, *(text for _kind, _args, member, variants in holes for text in (member, *variants.values()))]
    return all(token == pagecache.CSRF_PLACEHOLDER for text in texts for token in _TOKEN_RE.findall(text))


def _renumbered(text, by):
    return _HOLE_RE.sub(lambda match: personal.SENTINEL.format(int(match.group(1)) + by), text) if by else text


def _hole_renumbered(hole, by):
    kind, args, member, variants = hole
    return kind, args, _renumbered(member, by), {state: _renumbered(text, by) for state, text in variants.items()}


def _key(context, request, track, cover_position, eager_covers):
    """The card's key, or None where the card is drawn for someone (a signed-in member's own page)."""
    user = context.get("user")
    storing = personal.storing_request()
    if (request is None or user is None or user.is_authenticated or storing not in (None, request)
            or any(context.get(name) is not None for name in _PAGE_OWN)):
        return None
    score = getattr(track, "score", None)
    leading = bool(cover_position and eager_covers and cover_position <= eager_covers)
    cover = "first" if leading and cover_position == 1 else "leading" if leading else "lazy"
    parts = (
        track.pk, track.updated_at.timestamp(), track.licence_id, track.rating_count, track.rating_average,
        score and (score.score, score.upvotes, score.downvotes), is_editors_pick(context, track),
        track.platform_id, track.platform.commission_rate, track.platform.requires_approval, cover, _code(),
        "member" if storing is not None else "visitor",
    )
    return KEY_PREFIX + hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _kept(key):
    """(the current generation, the card kept under `key` in it as (html, holes), or None); (None, None)
    without Redis.

    The generation is read before the card is drawn and kept with it, so a card drawn from rows
    that changed meanwhile is kept under the generation their change retired."""
    try:
        generation, stored = get_redis_connection("default").mget(
            cache.make_key(pagecache.GENERATION_KEY), cache.make_key(key))
    except (RedisError, NotImplementedError):
        return None, None
    generation = int(generation or 0)
    if stored is None:
        return generation, None
    kept_generation, kept = pickle.loads(stored)
    return generation, (kept if kept_generation == generation else None)


def _keep(key, generation, kept):
    try:
        value = pickle.dumps((generation, kept), protocol=pickle.HIGHEST_PROTOCOL)
        get_redis_connection("default").set(cache.make_key(key), value, ex=TTL)
    except (RedisError, NotImplementedError):
        logger.debug("card not kept: Redis unavailable")


@once
def _code():
    """A digest of the templates and template tags that draw a card: a deploy that changes them retires every card."""
    roots = [Path(settings.BASE_DIR) / "templates", Path(__file__).resolve().parent.parent / "templatetags",
             Path(settings.BASE_DIR) / "voting" / "templatetags"]
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(p for root in roots for p in root.rglob("*") if p.suffix in {".html", ".py"}):
        digest.update(path.read_bytes())
    return digest.hexdigest()

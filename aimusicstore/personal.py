"""The personal bits of a shared page: rendered once per kind of reader, applied per member at serve time.

A page marked `cache_for_visitors` is stored (aimusicstore/pagecache.py) in two shared versions,
each rendered once and for nobody in particular: the visitor page (an anonymous user, exactly as
any visitor sees it) and the member page. What differs for a signed-in member — the header's
account menu, their own vote on each track shown, their hearts, follows, playlists,
notifications count, their review — sits in a `{% personal kind arg… %}…{% endpersonal %}`
block. While the member page is rendered for storage each block renders once, for a *neutral
member* (signed in, no votes, no hearts, nothing unread, CSRF token a placeholder), and leaves a
hole: the stored member page is a list of bytes and holes. Serving a member is then:

- one query over the ids of the holes on that page: each kind's indexed lookup (`Kind.sql`),
  joined by UNION ALL into a single round trip (`lookup`), and
- for the few holes where this member is not neutral: the common states (a track they voted
  up or down, a heart, a follow) were rendered with the page for storage (`Kind.variants`) and
  are copied in; a rarer one (their playlists, a review they wrote) is one small partial
  rendered for them (`render`); every other hole gets the neutral member version stored with
  the page.

Nothing a member did is rendered into a stored entry: the member page is rendered with an
anonymous request user and a stand-in member (`SHARED_MEMBER`, no id) inside the blocks, and the
real member's state is only ever added to the response on its way out. A block renders as its
plain body in every other render (a visitor page, a member's own page, a partial).
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import SimpleNamespace

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

SENTINEL = "\x00ph:{}\x00"
SENTINEL_RE = re.compile(rb"\x00ph:(\d+)\x00")


# The request whose page is being rendered for storage, for every template rendered meanwhile: an
# inclusion tag's own context has no `request`, and a block in it must still become a hole.
_STORING = ContextVar("personal_storing", default=None)


@contextmanager
def storing(request, for_members=False):
    """Render for storage until the end of the block.

    For visitors (the default) a personal block just renders as it would for any visitor: the
    page is the visitor page, one render, no holes. For members each block renders once, for the
    neutral member, and becomes a hole of this request that each member's own state fills.
    """
    request.rendering_for_visitors = True
    request._personal_holes = [] if for_members else None
    token = _STORING.set(request)
    try:
        yield
    finally:
        _STORING.reset(token)
        request.rendering_for_visitors = False


def storing_request():
    """The request whose page is being rendered for members' storage, or None (any other render)."""
    request = _STORING.get()
    if request is None or not request.rendering_for_visitors or request._personal_holes is None:
        return None
    return request


class _SharedMember(AnonymousUser):
    """The signed-in user a page's member version is rendered for: signed in, nobody in particular."""

    id = pk = None
    name = handle = username = email = ""
    is_active = True

    @property
    def is_anonymous(self):
        return False

    @property
    def is_authenticated(self):
        return True

    def __str__(self):
        return ""


SHARED_MEMBER = _SharedMember()


@dataclass
class Hole:
    kind: str
    args: dict
    member: list = field(default_factory=list)  # bytes and nested Holes: the neutral member version
    variants: dict = field(default_factory=dict)  # {state: bytes and Holes}: the common states, rendered once


# --- The kinds ---------------------------------------------------------------------------------

class Kind:
    """A personal block: what it remembers of its arguments, and how a member's own version is made."""

    def capture(self, context, *values):
        return {}

    def member_context(self, args):
        return {}

    def variants(self, args):
        """{state: context}: the states many members are in (a vote up or down, a heart), each rendered
        once with the page for storage, so that serving one is a copy. The block in `member_context`
        and this context must come out as `render` would for the state."""
        return {}

    # This kind's part of the page's one lookup query (`lookup`): SQL giving (key, integer) rows, and
    # `params` for it. Fixed text, ids passed as arrays, so each worker prepares it once. None: a kind
    # that asks nothing (signed in or not is all it shows).
    sql = None

    def params(self, user, holes):
        """The parameters of `sql` for this member and these holes."""
        return []

    def states(self, user, holes, rows):
        """{hole key: state} for this member from this kind's rows; absent = neutral."""
        return {}

    def key(self, args):
        return None

    def render(self, request, args, state):
        raise NotImplementedError


class MemberKind(Kind):
    """Signed in or not, nothing more (the header menu, a form every member sees alike)."""


class VoteKind(Kind):
    template = "voting/partials/vote_buttons.html"

    def capture(self, context, target=None):
        from voting.selectors import vote_state

        request = context.get("request") or storing_request()
        state = context.get("state") or vote_state(None, target)
        return {"state": {**state, "mine": 0}, "next": context.get("next") or request.get_full_path()}

    def member_context(self, args):
        return {"state": args["state"]}

    def variants(self, args):
        return {mine: {"state": {**args["state"], "mine": mine}} for mine in (1, -1)}

    def key(self, args):
        return (args["state"]["type"], args["state"]["id"])

    sql = """SELECT CASE WHEN track_id IS NOT NULL THEN 'track:' || track_id ELSE 'tool:' || tool_id END, value
             FROM voting_vote
             WHERE voter_id = %s AND value <> 0
               AND (track_id = ANY(%s::bigint[]) OR tool_id = ANY(%s::bigint[]))"""

    def params(self, user, holes):
        ids = {"track": [], "tool": []}
        for hole in holes:
            ids[hole.args["state"]["type"]].append(hole.args["state"]["id"])
        return [user.pk, ids["track"], ids["tool"]]

    def states(self, user, holes, rows):
        return {(target, int(pk)): value for key, value in rows for target, pk in [key.split(":")]}

    def render(self, request, args, state):
        context = {"state": {**args["state"], "mine": state}, "next": args["next"]}
        return render_to_string(self.template, context, request=request)


class FavouriteKind(Kind):
    template = "marketplace/partials/favourite_button.html"

    def capture(self, context, track=None):
        return {"pk": track.pk, "title": track.title}

    def member_context(self, args):
        return {"favourite_ids": frozenset()}

    def variants(self, args):
        return {True: {"favourite_ids": frozenset([args["pk"]])}}

    def key(self, args):
        return args["pk"]

    sql = "SELECT track_id, 1 FROM marketplace_favourite WHERE user_id = %s AND track_id = ANY(%s::bigint[])"

    def params(self, user, holes):
        return [user.pk, [h.args["pk"] for h in holes]]

    def states(self, user, holes, rows):
        return {int(pk): True for pk, _ in rows}

    def render(self, request, args, state):
        context = {"track": SimpleNamespace(pk=args["pk"], title=args["title"]), "favourite_ids": {args["pk"]}}
        return render_to_string(self.template, context, request=request)


class FollowKind(Kind):
    template = "accounts/partials/follow_button.html"

    def capture(self, context, creator=None):
        return {"pk": creator.pk, "handle": creator.handle, "name": creator.name}

    def member_context(self, args):
        return {"followed_ids": frozenset()}

    def variants(self, args):
        return {"on": {"followed_ids": frozenset([args["pk"]])}}

    def key(self, args):
        return args["pk"]

    sql = "SELECT creator_id, 1 FROM accounts_follow WHERE follower_id = %s AND creator_id = ANY(%s::bigint[])"

    def params(self, user, holes):
        return [user.pk, [h.args["pk"] for h in holes]]

    def states(self, user, holes, rows):
        found = {int(pk): "on" for pk, _ in rows}
        if user.pk in {h.args["pk"] for h in holes}:
            found[user.pk] = "self"
        return found

    def render(self, request, args, state):
        creator = SimpleNamespace(pk=args["pk"], handle=args["handle"], name=args["name"])
        context = {"creator": creator, "followed_ids": {args["pk"]} if state == "on" else frozenset()}
        return render_to_string(self.template, context, request=request)


class PlaylistsKind(Kind):
    """The Save-to-playlist menu: a member with playlists gets them listed (one query per page)."""

    template = "marketplace/playlists/partials/playlist_menu.html"

    def capture(self, context, track=None):
        return {"pk": track.pk, "title": track.title, "url": track.get_absolute_url(),
                "labelled": context.get("labelled"), "menu_suffix": context.get("menu_suffix")}

    def member_context(self, args):
        return {"signed_in": True, "playlists": []}

    def key(self, args):
        return args["pk"]

    # Whether the member has any (Playlist.objects.owned_by): only one who has pays a second query, for the menu.
    sql = "SELECT NULL, 1 FROM marketplace_playlist WHERE owner_id = %s LIMIT 1"

    def params(self, user, holes):
        return [user.pk]

    def states(self, user, holes, rows):
        from marketplace.playlists import selectors
        from marketplace.templatetags.playlist_tags import MENU_SIZE

        if not rows:
            return {}
        playlists = list(selectors.own_playlists(user)[:MENU_SIZE])
        return {h.args["pk"]: playlists for h in holes} if playlists else {}

    def render(self, request, args, state):
        track = SimpleNamespace(pk=args["pk"], title=args["title"], get_absolute_url=args["url"])
        context = {"track": track, "labelled": args["labelled"], "menu_suffix": args["menu_suffix"],
                   "signed_in": True, "playlists": state}
        return render_to_string(self.template, context, request=request)


class NotificationsKind(Kind):
    template = "marketplace/notifications/header_link.html"

    def member_context(self, args):
        return {"show": True, "unread": 0}

    def key(self, args):
        return "unread"

    # The rule of marketplace.notifications.selectors.unread_count, as SQL that joins the page's one query.
    sql = """SELECT NULL, count(*)::integer FROM marketplace_notification
             WHERE user_id = %s AND in_app AND read_at IS NULL"""

    def params(self, user, holes):
        return [user.pk]

    def states(self, user, holes, rows):
        unread = rows[0][1] if rows else 0
        return {"unread": unread} if unread else {}

    def render(self, request, args, state):
        return render_to_string(self.template, {"show": True, "unread": state}, request=request)


class ReviewsKind(Kind):
    """A track's reviews: a member who wrote one, or marked one helpful, gets the section rendered for them."""

    template = "marketplace/reviews/partials/reviews.html"

    def capture(self, context, track=None):
        return {"pk": track.pk, "review_ids": [r.pk for r in context.get("reviews") or []],
                "sort": context.get("review_sort")}

    def member_context(self, args):
        return {"can_review": True, "my_review": None}

    def key(self, args):
        return args["pk"]

    sql = """SELECT track_id, 1 FROM marketplace_review WHERE author_id = %s AND track_id = ANY(%s::bigint[])
             UNION ALL
             SELECT r.track_id, 1 FROM marketplace_reviewhelpful h JOIN marketplace_review r ON r.id = h.review_id
             WHERE h.user_id = %s AND h.review_id = ANY(%s::bigint[])"""

    def params(self, user, holes):
        return [user.pk, [h.args["pk"] for h in holes], user.pk, [pk for h in holes for pk in h.args["review_ids"]]]

    def states(self, user, holes, rows):
        return {int(pk): True for pk, _ in rows}

    def render(self, request, args, state):
        from django.shortcuts import get_object_or_404

        from marketplace.models import Track
        from marketplace.reviews.views import reviews_context

        track = get_object_or_404(Track.objects.published().select_related("creator"), pk=args["pk"])
        return render_to_string(self.template, reviews_context(request, track, sort=args["sort"]), request=request)


KINDS = {
    "member": MemberKind(),
    "vote": VoteKind(),
    "favourite": FavouriteKind(),
    "follow": FollowKind(),
    "playlists": PlaylistsKind(),
    "notifications": NotificationsKind(),
    "reviews": ReviewsKind(),
}


# --- The tag -----------------------------------------------------------------------------------

class PersonalNode(template.Node):
    def __init__(self, kind, args, nodelist):
        self.kind, self.args, self.nodelist = kind, args, nodelist

    def render(self, context):
        request = storing_request()
        if request is None:
            return self.nodelist.render(context)
        kind = KINDS[self.kind]
        args = kind.capture(context, *[arg.resolve(context) for arg in self.args])
        with context.push(user=SHARED_MEMBER, **kind.member_context(args)):
            member = self.nodelist.render(context)
            variants = {}
            for state, extra in kind.variants(args).items():
                with context.push(**extra):
                    variants[state] = self.nodelist.render(context)
        holes = request._personal_holes
        holes.append((self.kind, args, member, variants))
        return mark_safe(SENTINEL.format(len(holes) - 1))


@register.tag("personal")
def personal(parser, token):
    """`{% personal "vote" track %}…{% endpersonal %}`: a block that differs per signed-in member."""
    bits = token.split_contents()[1:]
    if not bits or bits[0][0] not in "\"'" or bits[0].strip("\"'") not in KINDS:
        raise template.TemplateSyntaxError(f"personal: the first argument is one of {sorted(KINDS)} in quotes")
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(bits[0].strip("\"'"), [parser.compile_filter(bit) for bit in bits[1:]], nodelist)


# --- Storing and applying ------------------------------------------------------------------------

def split(request, content):
    """The member version of a page rendered for members' storage: bytes and Holes, in order."""
    raw = getattr(request, "_personal_holes", None)
    if not raw:
        return [content]
    holes = {}

    def hole(index):
        if index not in holes:
            kind, args, member, variants = raw[index]
            holes[index] = Hole(kind, args, _member(member.encode()),
                                {state: _member(text.encode()) for state, text in variants.items()})
        return holes[index]

    def _member(data):
        parts, at = [], 0
        for match in SENTINEL_RE.finditer(data):
            parts.append(data[at:match.start()])
            parts.append(hole(int(match.group(1))))
            at = match.end()
        parts.append(data[at:])
        return [part for part in parts if part != b""]

    return _member(content)


def holes_of(parts, into=None):
    """Every Hole of a member version, nested ones too, grouped by kind."""
    into = {} if into is None else into
    for part in parts:
        if isinstance(part, Hole):
            into.setdefault(part.kind, []).append(part)
            holes_of(part.member, into)
            for variant in part.variants.values():
                holes_of(variant, into)
    return into


def lookup(user, holes, also=None):
    """({kind: {hole key: state}} for this member over a page's holes (holes_of), in one query; [also's rows]).

    Each kind's `sql` is its own indexed lookup; they go as one statement, UNION ALL, each row
    labelled with its kind. The same kinds on a page give the same text, so it is prepared once.
    `also` is (sql, params) of one more source of two-column rows to read in the same round trip
    (the member's own row, for pagecache.MemberHitMiddleware); its rows come back as they are.
    """
    pieces, params = [], []
    if also is not None:
        pieces.append(f"(SELECT ''::text, part.k::text, part.v::integer FROM ({also[0]}) AS part (k, v))")
        params += also[1]
    for name, of_kind in holes.items():
        kind = KINDS[name]
        if kind.sql is not None:
            pieces.append(f"(SELECT %s::text, part.k::text, part.v::integer FROM ({kind.sql}) AS part (k, v))")
            params += [name, *(_array(p) for p in kind.params(user, of_kind))]
    rows = {name: [] for name in holes}
    rows[""] = []
    if pieces:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(pieces), params)
            for name, key, value in cursor.fetchall():
                rows[name].append((key, value))
    return {name: KINDS[name].states(user, of_kind, rows[name]) for name, of_kind in holes.items()}, rows[""]


def _array(value):
    """A list of ids as PostgreSQL's array text, which each piece casts (`%s::bigint[]`): psycopg dumping
    the lists, scanning each for the narrowest integer type, was 6 % of a member hit (py-spy, gunicorn)."""
    if isinstance(value, list) and all(type(item) is int for item in value):
        return "{" + ",".join(map(str, value)) + "}"
    return value


def apply(request, parts, csrf_placeholder, holes=None, states=None):
    """The page for request.user: each hole the neutral member version or one rendered for them.

    `holes` is holes_of(parts), when the caller kept it with the parts; `states` is lookup()'s answer
    for them, when the caller already asked."""
    if states is None:
        states, _ = lookup(request.user, holes_of(parts) if holes is None else holes)
    token = get_token(request).encode()
    out = []

    def emit(items):
        for part in items:
            if not isinstance(part, Hole):
                out.append(part)
                continue
            kind = KINDS[part.kind]
            state = states[part.kind].get(kind.key(part.args))
            if state is None:
                emit(part.member)
            elif part.variants and state in part.variants:
                emit(part.variants[state])
            else:
                out.append(kind.render(request, part.args, state).encode())

    emit(parts)
    return b"".join(out).replace(csrf_placeholder, token)

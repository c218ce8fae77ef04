"""`{% playlist_menu track %}`: the "Save to playlist" menu of cards and the track page."""

from django import template

from marketplace.playlists import selectors

register = template.Library()

MENU_SIZE = 20


def menu_playlists(request):
    """The signed-in member's most recently changed playlists, loaded once per request."""
    if not hasattr(request, "_menu_playlists"):
        user = getattr(request, "user", None)
        request._menu_playlists = (
            list(selectors.own_playlists(user)[:MENU_SIZE]) if user and user.is_authenticated else []
        )
    return request._menu_playlists


def menu_suffix(request):
    """"-1", "-2", … in page order: one page may show a track's menu twice, and its field ids stay unique.
    A card drawn to be kept (marketplace/discovery/cards.py) gets a mark, numbered where it is copied in."""
    mark = getattr(request, "menu_suffix_mark", None)
    if mark:
        return mark
    count = getattr(request, "_menu_count", 0) + 1
    if request is not None:
        request._menu_count = count
    return f"-{count}"


@register.inclusion_tag("marketplace/playlists/partials/playlist_menu.html", takes_context=True)
def playlist_menu(context, track, labelled=False):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "menu_suffix": menu_suffix(request),
        "track": track, "labelled": labelled, "request": request, "csrf_token": context.get("csrf_token"),
        "signed_in": bool(user and user.is_authenticated),
        "playlists": menu_playlists(request) if request is not None else [],
    }

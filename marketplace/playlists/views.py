"""Playlist pages: yours, a public one (shareable, embeddable), and the save/move/remove actions."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from aimusicstore.http import safe_next
from marketplace.models import Track
from marketplace.playlists import selectors, services
from marketplace.playlists.forms import AddTrackForm, MoveForm, PlaylistForm
from marketplace.playlists.models import Playlist
from marketplace.templatetags.playlist_tags import menu_playlists


def _first_error(exc):
    return next(iter(exc.messages), "That did not work.")


@login_required
def my_playlists(request):
    """The member's playlists and a form to start one."""
    form = PlaylistForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            playlist = services.create_playlist(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("title", _first_error(exc))
        else:
            messages.success(request, f"Playlist “{playlist.title}” created. Add tracks from any card or player.")
            return redirect(playlist)
    playlists = selectors.own_playlists(request.user)
    return render(request, "marketplace/playlists/mine.html", {"playlists": playlists, "form": form},
                  status=400 if form.errors else 200)


def _visible(request, pk):
    return get_object_or_404(Playlist.objects.visible_to(request.user).select_related("owner"), pk=pk)


def _own(request, pk):
    playlist = _visible(request, pk)
    if playlist.owner_id != request.user.pk:
        raise Http404("No such playlist")
    return playlist


def detail(request, pk, form=None, status=200):
    """A playlist: public ones to anyone, private ones to their owner only (404 to others)."""
    playlist = _visible(request, pk)
    items = list(selectors.items_of(playlist))
    is_owner = request.user.is_authenticated and playlist.owner_id == request.user.pk
    absolute_url = request.build_absolute_uri(playlist.get_absolute_url())
    cover = next((item.track.cover_url for item in items if item.track.cover_url), "")
    return render(request, "marketplace/playlists/detail.html", {
        "playlist": playlist, "items": items, "is_owner": is_owner, "absolute_url": absolute_url,
        "cover_absolute_url": request.build_absolute_uri(cover) if cover else "",
        "embed_url": request.build_absolute_uri(f"/embed/playlists/{playlist.pk}/"),
        "form": form or (PlaylistForm(initial={"title": playlist.title, "description": playlist.description,
                                                "is_public": playlist.is_public}) if is_owner else None),
    }, status=status)


@require_POST
@login_required
def edit(request, pk):
    playlist = _own(request, pk)
    form = PlaylistForm(request.POST)
    if form.is_valid():
        services.update_playlist(playlist, **form.cleaned_data)
        messages.success(request, "Playlist saved.")
        return redirect(playlist)
    return detail(request, pk, form=form, status=400)


@require_POST
@login_required
def delete(request, pk):
    playlist = _own(request, pk)
    services.delete_playlist(playlist)
    messages.success(request, f"Playlist “{playlist.title}” deleted.")
    return redirect("marketplace:playlists")


def menu(request):
    """The "Save to playlist" menu for one track, fetched by the player (static/js/playlist-menu.js)."""
    raw_track = request.GET.get("track", "")
    if not raw_track.isdigit():
        raise Http404("No such track")
    track = get_object_or_404(Track.objects.published(), pk=raw_track)
    return render(request, "marketplace/playlists/partials/player_menu.html", {
        "track": track, "signed_in": request.user.is_authenticated, "menu_suffix": "-player",
        "playlists": menu_playlists(request),
    })


@require_POST
@login_required
def add_track(request):
    """Save a track to one of your playlists, or to a new one; htmx swaps the menu, a plain post redirects."""
    raw_track = request.POST.get("track", "")
    if not raw_track.isdigit():
        raise Http404("No such track")
    track = get_object_or_404(Track.objects.published(), pk=raw_track)
    form = AddTrackForm(request.POST)
    playlist, added, error = None, False, ""
    if not form.is_valid():
        error = next(iter(form.errors.get("new_title", [])), "Choose one of your playlists.")
    else:
        try:
            if form.cleaned_data.get("playlist"):
                playlist = get_object_or_404(Playlist.objects.owned_by(request.user),
                                             pk=form.cleaned_data["playlist"])
            else:
                playlist = services.create_playlist(request.user, title=form.cleaned_data["new_title"])
            added = services.add_track(playlist, track)
        except ValidationError as exc:
            error, playlist = _first_error(exc), None
    if request.htmx:
        request._menu_playlists = list(selectors.own_playlists(request.user)[:20])
        return render(request, "marketplace/playlists/partials/playlist_menu_body.html", {
            "track": track, "playlists": request._menu_playlists, "saved_to": playlist, "added": added,
            "error": error, "menu_suffix": "-saved",
        }, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Saved “{track.title}” to “{playlist.title}”.")
    return redirect(safe_next(request, playlist.get_absolute_url() if playlist else track.get_absolute_url()))


@require_POST
@login_required
def move_track(request, pk, track_id):
    playlist = _own(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_track(playlist, track_id, form.cleaned_data["position"])
        except ValidationError as exc:
            messages.error(request, _first_error(exc))
    return redirect(f"{playlist.get_absolute_url()}#item-{track_id}")


@require_POST
@login_required
def remove_track(request, pk, track_id):
    playlist = _own(request, pk)
    if services.remove_track(playlist, track_id):
        messages.success(request, "Track removed from the playlist.")
    return redirect(playlist)


@xframe_options_exempt
@csp_replace({"frame-ancestors": None})  # like the track embed: any page may frame it
def embed(request, pk):
    """The compact playlist player other sites may frame (public playlists only)."""
    playlist = Playlist.objects.filter(pk=pk, is_public=True).select_related("owner").first()
    if playlist is None:
        raise Http404("No such playlist")
    return render(request, "marketplace/playlists/embed.html",
                  {"playlist": playlist, "items": list(selectors.items_of(playlist))})

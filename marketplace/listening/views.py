"""Listening: play counting, waveform peaks, the embeddable player and range-capable media."""

import hashlib
import mimetypes
import re
import secrets
from pathlib import Path

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from aimusicstore import http
from aimusicstore.http import safe_next
from marketplace.listening import services
from marketplace.models import Track
from voting.trust.services import parse_seconds, record_listen


@require_POST
@login_required
def favourite(request, pk):
    """Heart / un-heart; htmx swaps the button, a plain form post goes back where it came from."""
    track = get_object_or_404(Track.objects.published(), pk=pk)
    is_favourite = services.toggle_favourite(request.user, track)
    if request.htmx:
        return render(request, "marketplace/partials/favourite_button.html",
                      {"track": track, "favourite_ids": {track.pk} if is_favourite else set()})
    return redirect(safe_next(request, track.get_absolute_url()))


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _published_track(pk, *fields):
    return Track.objects.published().filter(pk=pk).only("pk", *fields).first()


def _not_found(pk):
    message = f"No published track with id {pk}."
    return JsonResponse({"error": {"code": "not_found", "message": message, "fields": {"id": [message]}}}, status=404)


LISTENER_COOKIE = "ams_listener"
LISTENER_COOKIE_AGE = 365 * 24 * 3600


def listener_id(request):
    """(who is listening, a new listener cookie value or None): the user, else the session, else
    a random id we signed into a cookie (the User-Agent, which anyone can rotate, plays no part)."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}", None
    if request.session.session_key:
        return "s:" + hashlib.sha256(request.session.session_key.encode()).hexdigest()[:62], None
    known = request.get_signed_cookie(LISTENER_COOKIE, default=None, salt=LISTENER_COOKIE,
                                      max_age=LISTENER_COOKIE_AGE)
    if known and re.fullmatch(r"[0-9a-f]{32}", known):
        return f"c:{known}", None
    fresh = secrets.token_hex(16)
    return f"c:{fresh}", fresh


# Exempt from CSRF on purpose: embeds on other sites post here from a third-party frame that has no
# CSRF cookie, and a forged request can only do what an embed does anyway (one play, once a day).
@csrf_exempt
@require_POST
def count_play(request, pk):
    """The player calls this after 5 s of listening, and again with `seconds` after 10 s; 200 {"counted": bool}.

    A signed-in listener's `seconds` become the listening proof a vote needs to carry weight.
    Anonymous listeners are told apart by a signed cookie; one address counts at most
    services.NEW_LISTENERS_PER_ADDRESS new listeners a track a day, so a client that throws its
    cookie away each time cannot inflate the count.
    """
    track = _published_track(pk, "creator_id")
    if track is None:
        return _not_found(pk)
    listener, fresh_cookie = listener_id(request)
    address = http.client_ip(request) if fresh_cookie else None
    answer = {"counted": services.record_play(track, listener, address=address)}
    seconds = parse_seconds(request.POST.get("seconds"))
    if seconds:
        answer["listened"] = record_listen(request.user, track, seconds)
    response = JsonResponse(answer)
    if fresh_cookie:
        response.set_signed_cookie(LISTENER_COOKIE, fresh_cookie, salt=LISTENER_COOKIE,
                                   max_age=LISTENER_COOKIE_AGE, httponly=True, samesite="Lax",
                                   secure=settings.SESSION_COOKIE_SECURE)
    return response


@require_GET
@cache_control(public=True, max_age=300)
def waveform(request, pk):
    """The peak list the player draws; empty for previews given only as an external URL."""
    track = _published_track(pk, "waveform")
    if track is None:
        return _not_found(pk)
    return JsonResponse({"id": track.pk, "peaks": track.waveform})


@xframe_options_exempt
@csp_replace({"frame-ancestors": None})  # no frame-ancestors at all: any page may frame it
def embed_track(request, pk):
    """The compact player other sites may frame: the one page exempt from X-Frame-Options DENY
    and from the CSP's frame-ancestors 'none'."""
    track = Track.objects.published().select_related("creator").filter(pk=pk).first()
    if track is None:
        raise Http404("No such track")
    return render(request, "marketplace/embed.html", {"track": track})


# An uploaded file's name is never reused (the storage adds a suffix), so browsers may keep it a year.
MEDIA_CACHE_CONTROL = "public, max-age=31536000"


def media(request, path):
    """Serve local media with HTTP range support, so the browser can seek audio.

    On whenever media is stored locally (`make run`, `make serve`, docker-compose without S3:
    settings.SERVE_MEDIA); S3-compatible storage answers ranges itself.
    """
    if not settings.SERVE_MEDIA:
        raise Http404("Media is served from object storage.")
    header = request.headers.get("Range", "")
    if request.method not in ("GET", "HEAD") or not header:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
        response["Accept-Ranges"] = "bytes"
        response["Cache-Control"] = MEDIA_CACHE_CONTROL
        return response
    full_path = Path(safe_join(settings.MEDIA_ROOT, path))  # an escape raises SuspiciousFileOperation: 400
    if not full_path.is_file():
        raise Http404("Not found")
    size = full_path.stat().st_size
    match = RANGE_RE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return _unsatisfiable(size)
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # a suffix range: the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        return _unsatisfiable(size)
    content_type = mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
    response = StreamingHttpResponse(_read_range(full_path, start, end), status=206, content_type=content_type)
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(full_path.stat().st_mtime)
    response["Cache-Control"] = MEDIA_CACHE_CONTROL
    return response


def _read_range(path, start, end, chunk=64 * 1024):
    with open(path, "rb") as handle:
        handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data


def _unsatisfiable(size):
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    return response

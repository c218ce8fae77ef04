"""Account pages: creator profiles, the signed-in user's home, follows, the agent guide and API keys."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import ApiKeyForm, ProfileForm
from accounts.models import Follow, HandleRedirect, User
from accounts.services import UNSUBSCRIBE_SALT, toggle_follow
from aimusicstore import pagecache
from aimusicstore.pagecache import cache_for_visitors, private_for
from aimusicstore.paging import CappedPaginator
from marketplace.models import Track


@cache_for_visitors(ttl=120)
def creators(request):
    """/creators/: every creator with a published track, sortable, 24 a page."""
    sort = request.GET.get("sort") if request.GET.get("sort") in dict(selectors.CREATOR_SORTS) else "top"
    paginator = CappedPaginator(selectors.creator_directory(sort), max_pages=50,
                                cache_key=f"creators:{pagecache.current_generation()}")
    context = {"page": paginator.get_page(request.GET.get("page")), "paginator": paginator, "sort": sort,
               "sorts": selectors.CREATOR_SORTS}
    return render(request, "accounts/creators.html", context)


@cache_for_visitors()
def creator_profile(request, handle):
    creator = User.objects.filter(handle=handle, is_active=True).first()
    if creator is None:
        moved = HandleRedirect.objects.select_related("user").filter(old_handle=handle).first()
        if moved is None:
            return render(request, "404.html", status=404)
        return redirect(moved.user, permanent=True)
    private_for(request, creator.pk)
    sort = "top" if request.GET.get("sort") == "top" else "newest"
    tracks = Track.objects.published().for_listing().filter(creator=creator).ordered(sort)
    paginator = CappedPaginator(tracks, max_pages=20)
    context = {
        "creator": creator,
        "page": paginator.get_page(request.GET.get("page")),
        "sort": sort,
        "sorts": [("newest", "Newest"), ("top", "Top")],
        "follower_count": creator.followers.count(),
        "links": [url for url in (creator.links or []) if isinstance(url, str) and url.startswith(("https://",
                                                                                                   "http://"))],
    }
    return render(request, "accounts/creator_profile.html", context)


# --- The signed-in user's home: settings, profile, favourites, follows, history ----------

def _account_context(user):
    from django.db.models import Sum

    from marketplace.models import Favourite, PurchaseClick
    from voting.models import Vote

    return {
        "favourites": Favourite.objects.filter(user=user, track__status=Track.Status.PUBLISHED)
        .select_related("track__creator", "track__platform", "track__score", "track__licence", "track__tool",
                        "track__analysis").order_by("-created_at")[:24],
        "following": Follow.objects.filter(follower=user).select_related("creator").order_by("-created_at")[:50],
        "votes": Vote.objects.filter(voter=user).select_related("track", "tool").order_by("-created_at")[:20],
        "vote_total": Vote.objects.filter(voter=user).count(),
        "clicks": PurchaseClick.objects.filter(user=user).select_related("track__platform")
        .annotate(sold=Sum("sales__amount")).order_by("-created_at")[:20],
    }


@login_required
def account(request):
    form = ProfileForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, form.cleaned_data)
        messages.success(request, "Your profile was saved.")
        return redirect("accounts:account")
    context = {"form": form, **_account_context(request.user)}
    return render(request, "accounts/account.html", context)


@login_required
def feed(request):
    """New tracks from the creators I follow, newest first."""
    tracks = (Track.objects.published().for_listing()
              .filter(creator__followers__follower=request.user).order_by("-created_at", "-id"))
    page = Paginator(tracks, 24).get_page(request.GET.get("page"))
    return render(request, "accounts/feed.html", {"page": page})


@require_POST
@login_required
def follow(request, handle):
    creator = get_object_or_404(User, handle=handle, is_active=True)
    try:
        is_following = toggle_follow(request.user, creator)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(creator)
    if request.htmx:
        return render(request, "accounts/partials/follow_button.html",
                      {"creator": creator, "followed_ids": {creator.pk} if is_following else set()})
    return redirect(creator)


def unsubscribe(request, token):
    """One link in each new-track email turns those emails off (GET asks, POST does it)."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    user = get_object_or_404(User, pk=user_id)
    done = request.method == "POST"
    if done:
        services.unsubscribe_from_new_track_emails(user)
    return render(request, "accounts/unsubscribe.html", {"done": done, "email": user.email})


# --- For API users: the agent guide and key management --------------------------

def agents_api(request):
    """The guide: quick start, the two example agents, links to the live docs."""
    root = request.build_absolute_uri("/").rstrip("/")
    limits = [(tier, rates) for tier, rates in settings.API_RATE_LIMITS.items()]
    return render(request, "accounts/agents_api.html", {"api_root": root, "limits": limits})


@login_required
@require_POST
@never_cache
def create_api_key(request):
    """Issue a key and show it once, on this response only (it is stored as a hash)."""
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/api_key_created.html", {"form": form}, status=400)
    days = form.cleaned_data["expires_in"]
    expires_at = timezone.now() + timedelta(days=int(days)) if days else None
    key, raw = services.create_key(request.user, form.cleaned_data["name"], expires_at=expires_at)
    return render(request, "accounts/api_key_created.html", {"key": key, "raw_key": raw})


@login_required
@require_POST
def revoke_api_key(request, pk):
    if not services.revoke_key(request.user, pk):
        raise Http404("No such key")
    messages.success(request, "The key is revoked: requests made with it now get 401.")
    return redirect("/account/#api-keys")

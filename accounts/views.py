from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from marketplace.discovery import CappedPaginator
from marketplace.filters import SORT_ORDER
from marketplace.models import Track

from .models import HandleRedirect, User


def creator_profile(request, handle):
    creator = User.objects.filter(handle=handle, is_active=True).first()
    if creator is None:
        moved = HandleRedirect.objects.select_related("user").filter(old_handle=handle).first()
        if moved is None:
            return render(request, "404.html", status=404)
        return redirect(moved.user, permanent=True)
    sort = "top" if request.GET.get("sort") == "top" else "newest"
    tracks = Track.objects.published().for_listing().filter(creator=creator).order_by(*SORT_ORDER[sort])
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


@login_required
def account(request):
    return render(request, "accounts/account.html", {"keys": request.user.api_keys.order_by("-created_at")})

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from marketplace.models import Track

from .models import HandleRedirect, User


def creator_profile(request, handle):
    creator = User.objects.filter(handle=handle, is_active=True).first()
    if creator is None:
        moved = HandleRedirect.objects.select_related("user").filter(old_handle=handle).first()
        if moved is None:
            return render(request, "404.html", status=404)
        return redirect(moved.user, permanent=True)
    tracks = Track.objects.published().for_listing().filter(creator=creator).order_by("-created_at")[:48]
    return render(request, "accounts/creator_profile.html", {"creator": creator, "tracks": tracks})


@login_required
def account(request):
    return render(request, "accounts/account.html", {"keys": request.user.api_keys.order_by("-created_at")})

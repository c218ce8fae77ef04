"""The notification centre at /account/notifications/: the list, mark read, and the switches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aimusicstore.paging import CappedPaginator
from marketplace.notifications import selectors, services
from marketplace.notifications.forms import PreferencesForm


@login_required
def notifications(request):
    form = PreferencesForm(request.POST or None, current=services.preferences(request.user))
    if request.method == "POST":
        if form.is_valid():
            services.set_preferences(request.user, form.switches())
            messages.success(request, "Your notification settings were saved.")
            return redirect("marketplace:notifications")
    page = CappedPaginator(selectors.centre(request.user), per_page=30, max_pages=20).get_page(request.GET.get("page"))
    return render(request, "marketplace/notifications/centre.html", {
        "page": page, "form": form, "unread": selectors.unread_count(request.user)})


@require_POST
@login_required
def mark_read(request):
    """Mark one notification (`id`) or all of them read."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    services.mark_read(request.user, ids)
    return redirect("marketplace:notifications")

"""The /waitlist/ page: email capture with the live count, and the double-opt-in link's page."""

from django.contrib import messages
from django.shortcuts import redirect, render

from marketplace.waitlist import services
from marketplace.waitlist.forms import WaitlistForm

JOINED = "Thanks! Check your inbox: the link we emailed confirms your place, and then you count."


def waitlist(request):
    form = WaitlistForm(request.POST or None, label_suffix="")
    if request.method == "POST" and form.is_valid():
        services.join_waitlist(form.cleaned_data["email"], form.cleaned_data["interest"])
        # The same words for a new and a known address: the page does not tell who is on the list.
        messages.success(request, JOINED)
        return redirect("marketplace:waitlist")
    status = 400 if form.errors else 200
    return render(request, "marketplace/waitlist/waitlist.html", {"form": form, "count": services.count()},
                  status=status)


def confirm(request, token):
    """GET asks (so a mail scanner's visit confirms nothing), POST confirms."""
    entry = services.entry_for_token(token)
    if entry is None:
        return render(request, "marketplace/waitlist/confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.confirm(entry)
    return render(request, "marketplace/waitlist/confirm.html", {"entry": entry})

"""Pages of trust and safety: the report form (track and creator pages) and the creator's appeal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from aimusicstore.http import safe_next
from marketplace.models import Track
from marketplace.moderation import services, targets
from marketplace.moderation.forms import AppealForm, ReportForm

PARTIAL = "marketplace/moderation/partials/report_control.html"


def add_errors(form, exc):
    """A service's ValidationError beside the form's field it names (the rest above the form)."""
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _report_context(form, sent=False, next_url=""):
    data = form.data if form.is_bound else form.initial
    target = targets.find(data.get("target_type"), data.get("target_id"))
    return {"report_form": form, "report_sent": sent, "target": target, "target_label": str(target or ""),
            "target_type": data.get("target_type"), "target_id": data.get("target_id"), "open": True,
            "next": next_url}


@require_http_methods(["GET", "POST"])
def report(request):
    """Report a track or creator. htmx swaps the control for a thank-you (or the form with its
    errors); a plain post goes back where it came from; GET is the form as a page of its own."""
    if not request.user.is_authenticated:
        back = request.get_full_path() if request.method == "GET" else safe_next(request, "/")
        login = f"{reverse('account_login')}?next={back}"
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": login})
        return redirect(login)
    if request.method == "GET":
        form = ReportForm(initial={"target_type": request.GET.get("target_type", ""),
                                   "target_id": request.GET.get("target_id", "")})
        return render(request, "marketplace/moderation/report.html", _report_context(form))
    form, back = ReportForm(request.POST), safe_next(request, "/")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.file_report(request.user, data["target_type"], data["target_id"], data["reason"], data["note"])
        except ValidationError as exc:
            add_errors(form, exc)
    if form.is_valid():
        if request.htmx:
            return render(request, PARTIAL, _report_context(form, sent=True, next_url=back))
        messages.success(request, "Thanks: your report is with our moderators.")
        return redirect(back)
    template = PARTIAL if request.htmx else "marketplace/moderation/report.html"
    return render(request, template, _report_context(form, next_url=back), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request, pk):
    """The creator's one appeal against a hidden track of theirs."""
    track = get_object_or_404(Track.objects.owned_by(request.user), pk=pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal(request.user, track, form.cleaned_data["note"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Your appeal for “{track.title}” is with our moderators.")
            return redirect("marketplace:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "marketplace/moderation/appeal.html", {"track": track, "form": form}, status=status)



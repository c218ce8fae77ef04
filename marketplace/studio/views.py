"""The creator studio: my tracks, upload, edit, delete and analytics. Thin views over services."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import tiers
from marketplace.catalogue import services
from marketplace.models import Track
from marketplace.studio import charts, selectors
from marketplace.studio.forms import TrackForm, TrackSearchForm

COLUMNS = [("title", "Title"), ("status", "Status"), ("plays", "Plays"), ("votes", "Votes"), ("score", "Score"),
           ("clicks", "Clicks"), ("sales", "Sales"), ("earnings", "Earnings")]
METRICS = [("views", "Views"), ("plays", "Plays"), ("votes", "Votes"), ("clicks", "Buy clicks"), ("sales", "Sales")]


def _own_track(request, pk):
    return get_object_or_404(Track.objects.owned_by(request.user).select_related("platform"), pk=pk)


@login_required
def dashboard(request):
    search = TrackSearchForm(request.GET or None)
    q = sort = ""
    if search.is_valid():
        q, sort = search.cleaned_data["q"], search.cleaned_data["sort"]
    tracks = list(selectors.studio_tracks(request.user, q=q, sort=sort or "-created_at"))
    limit = tiers.upload_limit(request.user.tier)
    context = {
        "tracks": tracks, "search": search, "columns": COLUMNS, "sort": sort or "-created_at", "q": q,
        "upload_limit": limit, "uploads_used": services.uploads_this_month(request.user) if limit else None,
    }
    return render(request, "marketplace/dashboard.html", context)


@login_required
def upload(request):
    form = TrackForm(request.POST or None, request.FILES or None, creator=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            track = services.publish_track(request.user, form.track_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if track.status == Track.Status.PENDING:
                messages.warning(request, f"“{track.title}” is held for review: {track.review_reason}. "
                                          "Only you can see it until a moderator has looked.")
            else:
                messages.success(request, f"“{track.title}” is live.")
            return redirect(track)
    return render(request, "marketplace/studio/track_form.html", {"form": form, "track": None})


@login_required
def edit(request, pk):
    track = _own_track(request, pk)
    form = TrackForm(request.POST or None, request.FILES or None, track=track)
    if request.method == "POST" and form.is_valid():
        track = services.update_track(track, form.track_data())
        messages.success(request, f"“{track.title}” was updated.")
        return redirect("marketplace:dashboard")
    return render(request, "marketplace/studio/track_form.html", {"form": form, "track": track})


@login_required
def delete(request, pk):
    track = _own_track(request, pk)
    if request.method == "POST":
        services.remove_track(track)
        messages.success(request, f"“{track.title}” was deleted. Its sales history is kept.")
        return redirect("marketplace:dashboard")
    return render(request, "marketplace/studio/track_delete.html", {"track": track})


@login_required
def analytics_page(request):
    days = selectors.parse_range(request.GET.get("range"))
    series = selectors.daily_series(request.user, days)
    context = {
        "days": days, "ranges": selectors.RANGES, "totals": selectors.totals(series),
        "charts": [(label, charts.line_chart(series, key)) for key, label in METRICS],
        "earnings_chart": charts.line_chart(series, "earnings"),
        "top_tracks": selectors.top_tracks(request.user, days),
        "referrers": selectors.referrer_domains(request.user, days),
    }
    return render(request, "marketplace/studio/analytics.html", context)


@login_required
def analytics_csv(request):
    days = selectors.parse_range(request.GET.get("range"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aimusicstore-analytics-{days}d.csv"'
    writer = csv.writer(response)
    writer.writerow(["day", "views", "plays", "votes", "clicks", "sales", "revenue", "commission", "earnings"])
    for row in selectors.daily_series(request.user, days):
        writer.writerow([row["day"].isoformat(), row["views"], row["plays"], row["votes"], row["clicks"],
                         row["sales"], f"{row['revenue']:.2f}", f"{row['commission']:.2f}", f"{row['earnings']:.2f}"])
    return response

"""The moderation queue in the Django admin: reports grouped by target, held uploads, flagged votes,
appeals; a review page per target whose buttons call marketplace.moderation.services."""

from django.contrib import admin, messages
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from marketplace.models import Track
from marketplace.moderation import services, targets
from marketplace.moderation.forms import AppealDecisionForm, ModerationActionForm
from marketplace.moderation.models import Appeal, ModerationNotice, Report, Suspension, Takedown
from marketplace.moderation.views import add_errors
from voting.models import Vote

QUEUE_SIZE = 100
TRACK_ONLY = {"hide", "restore", "takedown"}


def _reason_labels(codes):
    labels = dict(Report.Reason.choices)
    return [labels.get(code, code) for code in sorted(codes)]


def report_groups(limit=QUEUE_SIZE):
    """Open reports grouped by target, oldest first, each with its count, reasons and target object."""
    groups = list(
        Report.objects.filter(status=Report.Status.OPEN).values("target_type", "target_id")
        .annotate(count=Count("id"), first=Min("created_at"), reasons=ArrayAgg("reason", distinct=True))
        .order_by("first", "target_type", "target_id")[:limit]
    )
    by_kind = {}
    for group in groups:
        by_kind.setdefault(group["target_type"], []).append(group["target_id"])
    found = {}
    for name, ids in by_kind.items():
        kind = targets.kind_of(name)
        if kind is not None:
            model = kind.reportable().model
            found[name] = model._default_manager.in_bulk(ids)
    for group in groups:
        group["target"] = found.get(group["target_type"], {}).get(group["target_id"])
        group["reason_labels"] = _reason_labels(group["reasons"])
    return groups


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["target_type", "target_id", "reason", "reporter", "status", "created_at", "resolved_by"]
    list_filter = ["status", "target_type", "reason"]
    search_fields = ["reporter__email", "note"]
    list_select_related = ["reporter", "resolved_by"]
    readonly_fields = ["reporter", "target_type", "target_id", "reason", "note", "created_at", "updated_at",
                       "resolved_at", "resolved_by", "resolution"]
    date_hierarchy = "created_at"
    change_list_template = "admin/marketplace/moderation/report_change_list.html"

    def has_add_permission(self, request):
        return False  # reports come from the site's form and the API

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("queue/", wrap(self.queue_view), name="marketplace_report_queue"),
            path("target/<str:target_type>/<int:target_id>/", wrap(self.review_view), name="marketplace_report_review"),
            path("appeal/<int:pk>/decide/", wrap(self.decide_appeal_view), name="marketplace_report_decide_appeal"),
            *super().get_urls(),
        ]

    def _context(self, request, title):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def queue_view(self, request):
        """Everything waiting for staff, oldest first: reported targets, appeals, held uploads, flagged votes."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        flagged = Vote.objects.filter(status=Vote.Status.SUSPECTED)
        context = self._context(request, "Moderation queue")
        context.update(
            groups=report_groups(),
            appeals=list(Appeal.objects.filter(status=Appeal.Status.OPEN).select_related("track", "creator")
                         .order_by("created_at")[:QUEUE_SIZE]),
            held=list(Track.objects.filter(status=Track.Status.PENDING).select_related("creator")
                      .order_by("created_at")[:QUEUE_SIZE]),
            flagged_votes=list(flagged.select_related("voter", "track", "tool").order_by("created_at")[:50]),
            flagged_count=flagged.count(),
            flagged_url=reverse("admin:voting_vote_changelist") + "?status__exact=suspected",
            decision_form=AppealDecisionForm(),
        )
        return TemplateResponse(request, "admin/marketplace/moderation/queue.html", context)

    def review_view(self, request, target_type, target_id):
        """One target: its reports, takedowns and appeal, and a form per decision staff can take."""
        kind = targets.kind_of(target_type)
        target = targets.load(target_type, target_id) if kind else None
        if target is None:
            messages.error(request, f"No {target_type} {target_id}.")
            return redirect("admin:marketplace_report_queue")
        is_track = isinstance(target, Track)
        actions = [a for a, _ in ModerationActionForm.ACTIONS if is_track or a not in TRACK_ONLY]
        forms = {a: ModerationActionForm(initial={"action": a}, auto_id=f"{a}-%s") for a in actions}
        status = 200
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            action = request.POST.get("action", "")
            form = ModerationActionForm(request.POST, auto_id=f"{action}-%s")
            if form.is_valid() and action in actions:
                try:
                    done = self._act(request, kind, target, form.cleaned_data)
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, done)
                    return redirect("admin:marketplace_report_queue")
            if action in forms:
                forms[action] = form
            status = 400
        creator = kind.creator_of(target)
        context = self._context(request, f"Review {kind.label.lower()}: {target}")
        context.update(
            kind=kind, target=target, target_type=target_type, creator=creator, is_track=is_track,
            forms=[(a, label, forms[a]) for a, label in ModerationActionForm.ACTIONS if a in forms],
            reports=list(Report.objects.filter(target_type=target_type, target_id=target.pk)
                         .select_related("reporter").order_by("-status", "created_at")[:200]),
            takedowns=list(Takedown.objects.filter(track=target)) if is_track else [],
            appeal=Appeal.objects.filter(track=target).first() if is_track else None,
            decision_form=AppealDecisionForm(),
        )
        return TemplateResponse(request, "admin/marketplace/moderation/review.html", context, status=status)

    @staticmethod
    def _act(request, kind, target, data):
        action, reason, staff = data["action"], data["reason"], request.user
        creator = kind.creator_of(target)
        if action == "hide":
            services.hide(target, reason, staff)
            return f"Hid “{target}”; its creator was told why."
        if action == "restore":
            services.restore(target, staff, reason)
            return f"Restored “{target}”."
        if action == "dismiss":
            count = services.dismiss_reports(kind.name, target.pk, staff, reason)
            return f"Dismissed {count} reports on “{target}”."
        if action == "warn":
            services.warn(creator, reason, staff, kind.name, target.pk)
            return f"Warned {creator}."
        if action == "suspend":
            hidden = services.suspend(creator, reason, staff)
            return f"Suspended {creator}: {hidden} tracks hidden, keys revoked, votes weigh zero."
        services.take_down(target, staff, claimant=data["claimant"], contact=data["contact"],
                           work_claimed=data["work_claimed"], received_on=data["received_on"])
        return f"Took “{target}” down for {data['claimant']}."

    def decide_appeal_view(self, request, pk):
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        appeal = get_object_or_404(Appeal, pk=pk)
        form = AppealDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose to grant or uphold the appeal.")
            return redirect("admin:marketplace_report_queue")
        try:
            services.decide_appeal(appeal, request.user, form.cleaned_data["decision"] == "restore",
                                   form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
        else:
            messages.success(request, f"Decided the appeal on “{appeal.track}”; the creator was emailed.")
        return redirect("admin:marketplace_report_queue")


class _ReadOnly(admin.ModelAdmin):
    """Records services write; staff read them here and act from the moderation queue."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Takedown)
class TakedownAdmin(_ReadOnly):
    list_display = ["track", "claimant", "contact", "work_claimed", "received_on", "recorded_by", "created_at"]
    search_fields = ["claimant", "work_claimed", "track__title"]
    list_select_related = ["track", "recorded_by"]


@admin.register(Appeal)
class AppealAdmin(_ReadOnly):
    list_display = ["track", "creator", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["track__title", "creator__email", "note"]
    list_select_related = ["track", "creator", "decided_by"]


@admin.register(ModerationNotice)
class ModerationNoticeAdmin(_ReadOnly):
    list_display = ["creator", "kind", "track", "created_at"]
    list_filter = ["kind"]
    search_fields = ["creator__email", "message"]
    list_select_related = ["creator", "track"]


@admin.register(Suspension)
class SuspensionAdmin(_ReadOnly):
    list_display = ["user", "reason", "suspended_by", "created_at"]
    search_fields = ["user__email", "reason"]
    list_select_related = ["user", "suspended_by"]


def hide_with_reason(model_admin, request, queryset):
    """The track list's Hide action: first a page asking why (shown to each creator), then the hides."""
    from django.contrib.admin import helpers

    reason = request.POST.get("reason", "").strip()  # the action bar's Reason box, or this page's
    if reason:
        tracks = list(queryset.select_related("creator"))
        for track in tracks:
            services.hide(track, reason, request.user)
        model_admin.message_user(request, f"Hid {len(tracks)} tracks; their creators were told why.",
                                 messages.SUCCESS)
        return None
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": "Hide tracks", "tracks": list(queryset[:200]), "reason": reason,
               "missing": bool(request.POST.get("confirm")),
               "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME}
    return TemplateResponse(request, "admin/marketplace/moderation/hide_tracks.html", context)

from django.contrib import admin, messages

from aimusicstore import audit
from voting import services
from voting.models import ReputationEvent, ToolScore, TrackScore, Vote


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["voter", "track", "tool", "value", "weight", "status", "flag_reason", "created_at"]
    list_filter = ["status", "value"]
    search_fields = ["voter__email", "track__title", "tool__name"]
    list_select_related = ["voter", "track", "tool"]
    raw_id_fields = ["voter", "track", "tool"]
    date_hierarchy = "created_at"
    actions = ["confirm_abuse", "clear"]
    action_form = audit.ReasonActionForm

    @staticmethod
    def _decide(request, queryset, service, action):
        """One service call for the lot (scores recomputed once); one audit row per vote."""
        votes = list(queryset)
        before = {vote.pk: {"status": vote.status} for vote in votes}
        count = service(queryset, request.user)
        for vote in votes:
            audit.record_staff_action(request.user, vote, action, reason=audit.action_reason(request),
                                      before=before[vote.pk], after=audit.snapshot(vote, ["status"]),
                                      remote_addr=request.META.get("REMOTE_ADDR"))
        return count

    @admin.action(description="Confirm abuse (votes keep weighing zero; voters lose reputation)")
    def confirm_abuse(self, request, queryset):
        count = self._decide(request, queryset, services.confirm_abuse, "confirm vote abuse")
        self.message_user(request, f"Confirmed {count} votes as abuse; scores recomputed.", messages.SUCCESS)

    @admin.action(description="Clear (votes count again)")
    def clear(self, request, queryset):
        count = self._decide(request, queryset, services.clear_votes, "clear flagged votes")
        self.message_user(request, f"Cleared {count} votes; scores recomputed.", messages.SUCCESS)


@admin.register(TrackScore)
class TrackScoreAdmin(admin.ModelAdmin):
    list_display = ["track", "score", "score_weekly", "trending", "upvotes", "downvotes", "updated_at"]
    search_fields = ["track__title"]
    list_select_related = ["track"]
    raw_id_fields = ["track"]


@admin.register(ToolScore)
class ToolScoreAdmin(admin.ModelAdmin):
    list_display = ["tool", "score", "trending", "upvotes", "downvotes", "updated_at"]


@admin.register(ReputationEvent)
class ReputationEventAdmin(admin.ModelAdmin):
    list_display = ["user", "delta", "reason", "source", "created_at"]
    search_fields = ["user__email", "reason"]
    list_filter = ["source"]
    raw_id_fields = ["user"]

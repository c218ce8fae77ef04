from django.contrib import admin, messages

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

    @admin.action(description="Confirm abuse (votes keep weighing zero; voters lose reputation)")
    def confirm_abuse(self, request, queryset):
        count = services.confirm_abuse(queryset, request.user)
        self.message_user(request, f"Confirmed {count} votes as abuse; scores recomputed.", messages.SUCCESS)

    @admin.action(description="Clear (votes count again)")
    def clear(self, request, queryset):
        count = services.clear_votes(queryset, request.user)
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

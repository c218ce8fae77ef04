"""Moderation of measured audio: re-uploads held for review, with the track they match, and unplayable previews."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from marketplace.analysis.models import TrackAnalysis


class DuplicateFilter(admin.SimpleListFilter):
    title = "re-upload"
    parameter_name = "reupload"

    def lookups(self, request, model_admin):
        return [("held", "Held: matches another creator's track"), ("own", "Creator's own re-upload")]

    def queryset(self, request, queryset):
        from django.db.models import F

        if self.value() == "held":
            return queryset.filter(duplicate_of__isnull=False).exclude(duplicate_of__creator=F("track__creator"))
        if self.value() == "own":
            return queryset.filter(duplicate_of__creator=F("track__creator"))
        return queryset


@admin.register(TrackAnalysis)
class TrackAnalysisAdmin(admin.ModelAdmin):
    list_display = ["track", "track_status", "status", "bpm", "key", "loudness_lufs", "matches", "problem",
                    "version", "analysed_at"]
    list_filter = ["status", DuplicateFilter, "version"]
    list_select_related = ["track", "duplicate_of"]
    search_fields = ["track__title", "track__creator__email"]
    raw_id_fields = ["track", "duplicate_of"]
    readonly_fields = [f.name for f in TrackAnalysis._meta.fields]

    @admin.display(description="Track status")
    def track_status(self, analysis):
        return analysis.track.get_status_display()

    @admin.display(description="Same audio as")
    def matches(self, analysis):
        if analysis.duplicate_of_id is None:
            return ""
        url = reverse("admin:marketplace_track_change", args=[analysis.duplicate_of_id])
        return format_html('<a href="{}">{}</a> (bit error {})', url, analysis.duplicate_of,
                           f"{analysis.duplicate_bit_error or 0:.2f}")

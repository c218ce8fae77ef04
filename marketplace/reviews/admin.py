"""Staff moderation of reviews: deleting one goes through the service, so the track's rating follows."""

from django.contrib import admin

from marketplace.reviews import services
from marketplace.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["track", "author", "rating", "helpful_count", "created_at"]
    list_filter = ["rating"]
    search_fields = ["text", "track__title", "author__email"]
    raw_id_fields = ["track", "author"]
    readonly_fields = ["helpful_count", "created_at", "updated_at"]

    def delete_model(self, request, obj):
        services.delete_review(obj)

    def delete_queryset(self, request, queryset):
        for review in queryset:
            services.delete_review(review)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.refresh_rating(obj.track_id)

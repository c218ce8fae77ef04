"""The newsletter in the admin: who got which week's issue, and a preview of this week's."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from marketplace.newsletter import services
from marketplace.newsletter.models import NewsletterSend


@admin.register(NewsletterSend)
class NewsletterSendAdmin(admin.ModelAdmin):
    list_display = ["email", "week", "sent_at", "claimed_until"]
    list_filter = ["week"]
    search_fields = ["email"]
    readonly_fields = ["email", "week", "sent_at", "claimed_until", "created_at"]
    change_list_template = "admin/marketplace/newslettersend/change_list.html"

    def has_add_permission(self, request):
        return False  # rows are made by the sending task; each one is the once-only record

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview)
        return [path("preview/", preview, name="marketplace_newslettersend_preview"), *super().get_urls()]

    def preview(self, request):
        """This week's issue as it would go out now: the HTML part, or the text part with ?part=text."""
        issue = services.build_issue(services.week_of(), site=request.build_absolute_uri("/"))
        message = services.render_message(issue, request.user.email)
        if request.GET.get("part") == "text":
            return HttpResponse(message.body, content_type="text/plain; charset=utf-8")
        html = message.alternatives[0][0]
        response = HttpResponse(html)
        response["Content-Security-Policy"] = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'"
        return response

"""Template tags of trust and safety: the report form on public pages, the moderation panel on the dashboard."""

from django import template

from marketplace.models import Track
from marketplace.moderation.forms import ReportForm
from marketplace.moderation.models import ModerationNotice

register = template.Library()


@register.simple_tag
def report_form(target_type, target_id):
    return ReportForm(initial={"target_type": target_type, "target_id": target_id},
                      auto_id=f"report-{target_type}-{target_id}-%s")


@register.inclusion_tag("marketplace/moderation/partials/dashboard_panel.html", takes_context=True)
def moderation_panel(context):
    """The creator's hidden tracks with the reason and their appeal, and the latest moderation notices."""
    user = context["user"]
    hidden = list(Track.objects.owned_by(user).filter(status=Track.Status.HIDDEN)
                  .prefetch_related("appeals").order_by("-updated_at")[:50])
    for track in hidden:
        track.appeal = next(iter(track.appeals.all()), None)
    notices = list(ModerationNotice.objects.filter(creator=user).select_related("track").order_by("-created_at")[:10])
    return {"hidden_tracks": hidden, "notices": notices, "request": context.get("request"),
            "csrf_token": context.get("csrf_token")}

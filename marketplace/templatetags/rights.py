"""Template tags for a track's rights: `{% load rights %}{% track_rights track %}` and `|ai_label`."""

from django import template

from marketplace.licensing.models import AI_SUMMARIES, CREDIT_PARTS

register = template.Library()
CREDIT_WORDS = {"ai": "AI", "human": "Human", "mixed": "AI and human", "none": "None"}
CREDENTIAL_WORDS = {
    "valid": "present and valid", "invalid": "present but invalid (the file changed after signing)",
    "present": "present", "absent": "none found",
}


@register.filter
def ai_label(summary):
    return dict(AI_SUMMARIES).get(summary, "")


@register.filter
def errors_for(form, name):
    """A form field's errors by a name held in a variable (browse's facet loop)."""
    return form.errors.get(name, [])


@register.inclusion_tag("marketplace/licensing/partials/track_rights.html", takes_context=True)
def track_rights(context, track):
    credits = track.ai_credits or {}
    summary = track.content_credentials or {}
    label = CREDENTIAL_WORDS.get(summary.get("status", "absent"), "none found")
    if summary.get("signer"):
        label += f", signed by {summary['signer']}"
    if summary.get("generator"):
        label += f", made with {summary['generator']}"
    return {
        "track": track, "user": context.get("user"), "csrf_token": context.get("csrf_token"),
        "credits": [(part, CREDIT_WORDS[credits[part]]) for part in CREDIT_PARTS if part in credits],
        "content_credentials_label": label,
    }

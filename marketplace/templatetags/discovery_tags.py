import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The escapes Django's json_script uses, so no string in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data):
    """Structured data as <script type="application/ld+json">: inert data, never executed."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def minutes(seconds):
    """182 -> "3:02"."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.simple_tag(takes_context=True)
def track_card(context, track, cover_position=None, eager_covers=0):
    """`{% track_card track %}`: the track's card, as `{% include "marketplace/partials/track_card.html" %}`
    renders it, kept per version and copied in wherever it is drawn for nobody in particular
    (marketplace/discovery/cards.py)."""
    from marketplace.discovery import cards

    return cards.render(context, track, cover_position, eager_covers)

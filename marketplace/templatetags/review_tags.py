"""Stars for ratings: `{{ 4|stars }}` → ★★★★☆ and `{% rating_summary track %}` for cards and pages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def stars(value):
    """Five stars, filled to the rating rounded to the nearest whole star."""
    filled = int(Decimal(value or 0).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    filled = max(0, min(5, filled))
    return "★" * filled + "☆" * (5 - filled)


@register.inclusion_tag("marketplace/reviews/partials/rating_summary.html")
def rating_summary(track, compact=False):
    return {"track": track, "compact": compact}

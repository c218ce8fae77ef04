"""The one place pages and the API read rankings from."""

from django.db.models import F

from marketplace.models import Tool, Track

PERIOD_FIELDS = {
    "daily": "score_daily",
    "weekly": "score_weekly",
    "monthly": "score_monthly",
    "alltime": "score",
    "trending": "trending",
}


def top_tracks(period="alltime", limit=50):
    field = PERIOD_FIELDS[period]
    return list(
        Track.objects.published()
        .for_listing()
        .filter(score__isnull=False)
        .order_by(F(f"score__{field}").desc(), "-score__upvotes", "-id")[:limit]
    )


def trending_tracks(limit=10):
    return top_tracks("trending", limit)


def top_tools(limit=10):
    return list(
        Tool.objects.select_related("score").order_by(F("score__score").desc(nulls_last=True), "name")[:limit]
    )

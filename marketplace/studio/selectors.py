"""Reads behind the creator studio and analytics: a bounded number of queries per page."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from marketplace.models import PurchaseClick, Sale, Track, TrackDailyStats, TrackReferrerDaily
from voting.models import Vote

RANGES = (7, 30, 90)
SORTS = {"created_at", "title", "plays", "votes", "score", "clicks", "sales", "earnings", "views"}
ZERO = Decimal("0.00")


def _sum(model, field, output):
    rows = model.objects.filter(track=OuterRef("pk")).order_by().values("track")
    return Coalesce(Subquery(rows.annotate(total=Sum(field)).values("total")[:1], output_field=output), Value(0),
                    output_field=output)


def _count(model):
    rows = model.objects.filter(track=OuterRef("pk")).order_by().values("track")
    return Coalesce(Subquery(rows.annotate(total=Count("pk")).values("total")[:1], output_field=IntegerField()),
                    Value(0))


def studio_tracks(creator, q="", sort="-created_at"):
    """The creator's tracks (not removed) with plays, views, votes, score, clicks, sales, earnings."""
    tracks = (
        Track.objects.owned_by(creator)
        .select_related("platform", "score")
        .annotate(
            total_plays=_sum(TrackDailyStats, "plays", IntegerField()),
            total_views=_sum(TrackDailyStats, "views", IntegerField()),
            total_clicks=_count(PurchaseClick),
            total_sales=_count(Sale),
            total_earnings=_sum(Sale, "earnings", DecimalField(max_digits=12, decimal_places=2)),
            total_votes=Coalesce(F("score__upvotes") + F("score__downvotes"), Value(0)),
            total_score=Coalesce(F("score__score"), Value(0.0)),
        )
    )
    if q:
        tracks = tracks.filter(Q(title__icontains=q) | Q(tags__contains=[q.lower().lstrip("#")]))
    field = sort.lstrip("-")
    if field not in SORTS:
        sort, field = "-created_at", "created_at"
    if field not in ("created_at", "title"):
        field = f"total_{field}"
    return tracks.order_by(("-" if sort.startswith("-") else "") + field, "-id")


def parse_range(value):
    try:
        days = int(value)
    except (TypeError, ValueError):
        return 30
    return days if days in RANGES else 30


def daily_series(creator, days):
    """One row per day (oldest first) with views, plays, votes, clicks, sales and earnings."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    series = {start + timedelta(days=i): {"views": 0, "plays": 0, "votes": 0, "clicks": 0, "sales": 0,
                                          "revenue": ZERO, "commission": ZERO, "earnings": ZERO}
              for i in range(days)}
    stats = (TrackDailyStats.objects.filter(track__creator=creator, day__gte=start).values("day")
             .annotate(views=Sum("views"), plays=Sum("plays"), clicks=Sum("clicks")))
    for row in stats:
        if row["day"] in series:
            series[row["day"]].update(views=row["views"], plays=row["plays"], clicks=row["clicks"])
    votes = (Vote.objects.filter(track__creator=creator, created_at__date__gte=start)
             .annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("pk")))
    for row in votes:
        if row["day"] in series:
            series[row["day"]]["votes"] = row["n"]
    sales = (Sale.objects.filter(track__creator=creator, created_at__date__gte=start)
             .annotate(day=TruncDate("created_at")).values("day")
             .annotate(n=Count("pk"), revenue=Sum("amount"), commission=Sum("commission"), earnings=Sum("earnings")))
    for row in sales:
        if row["day"] in series:
            series[row["day"]].update(sales=row["n"], revenue=row["revenue"], commission=row["commission"],
                                      earnings=row["earnings"])
    return [{"day": day, **values} for day, values in series.items()]


def totals(series):
    keys = ("views", "plays", "votes", "clicks", "sales", "revenue", "commission", "earnings")
    return {key: sum((row[key] for row in series), ZERO if key in ("revenue", "commission", "earnings") else 0)
            for key in keys}


def top_tracks(creator, days, limit=5):
    start = timezone.localdate() - timedelta(days=days - 1)
    return (
        Track.objects.owned_by(creator)
        .annotate(
            period_plays=Coalesce(Sum("daily_stats__plays", filter=Q(daily_stats__day__gte=start)), Value(0)),
            period_views=Coalesce(Sum("daily_stats__views", filter=Q(daily_stats__day__gte=start)), Value(0)),
        )
        .order_by("-period_plays", "-period_views", "-id")[:limit]
    )


def referrer_domains(creator, days, limit=10):
    start = timezone.localdate() - timedelta(days=days - 1)
    return (TrackReferrerDaily.objects.filter(track__creator=creator, day__gte=start).values("domain")
            .annotate(views=Sum("views")).order_by("-views", "domain")[:limit])


def money(value):
    return f"{(value or ZERO).quantize(Decimal('0.01'))}"


def creator_analytics(creator, days=30):
    """The API's `me/analytics`: the studio's daily series and totals, money as two-decimal strings.

    Money is summed per sale row, where the database guarantees amount = commission + earnings,
    so the totals reconcile to the cent.
    """
    series = daily_series(creator, days)
    sums = totals(series)
    for name in ("revenue", "commission", "earnings"):
        sums[name] = money(sums[name])
    daily = [
        {"date": row["day"].isoformat(), **{k: money(v) if isinstance(v, Decimal) else v
                                            for k, v in row.items() if k != "day"}}
        for row in series
    ]
    return {"days": days, **sums, "daily": daily}

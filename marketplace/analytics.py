"""Reads behind a creator's analytics (the API's `me/analytics`; the studio can read the same)."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from voting.models import Vote

from .models import Sale, TrackDailyStats

ZERO = Decimal("0.00")


def money(value):
    return f"{(value or ZERO).quantize(Decimal('0.01'))}"


def creator_analytics(creator, days=30):
    """Totals and a per-day list over the last `days` days, in three grouped queries.

    Money is summed per sale row, where the database guarantees amount = commission + earnings,
    so the totals reconcile to the cent.
    """
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    rows = {first + timedelta(days=n): {"views": 0, "plays": 0, "votes": 0, "clicks": 0, "sales": 0,
                                        "revenue": ZERO, "commission": ZERO, "earnings": ZERO}
            for n in range(days)}
    stats = (TrackDailyStats.objects.filter(track__creator=creator, day__gte=first, day__lte=today)
             .values("day").annotate(views=Sum("views"), plays=Sum("plays"), clicks=Sum("clicks")))
    for row in stats:
        rows[row["day"]].update(views=row["views"], plays=row["plays"], clicks=row["clicks"])
    votes = (Vote.objects.filter(track__creator=creator, created_at__date__gte=first)
             .annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("id")))
    for row in votes:
        if row["day"] in rows:
            rows[row["day"]]["votes"] = row["n"]
    sales = (Sale.objects.filter(track__creator=creator, created_at__date__gte=first)
             .annotate(day=TruncDate("created_at")).values("day")
             .annotate(n=Count("id"), revenue=Sum("amount"), commission=Sum("commission"), earnings=Sum("earnings")))
    for row in sales:
        if row["day"] in rows:
            rows[row["day"]].update(sales=row["n"], revenue=row["revenue"], commission=row["commission"],
                                    earnings=row["earnings"])
    totals = {name: sum(r[name] for r in rows.values()) for name in ("views", "plays", "votes", "clicks", "sales")}
    for name in ("revenue", "commission", "earnings"):
        totals[name] = money(sum((r[name] for r in rows.values()), ZERO))
    daily = [{"date": day.isoformat(), **{k: (money(v) if isinstance(v, Decimal) else v) for k, v in r.items()}}
             for day, r in sorted(rows.items())]
    return {"days": days, **totals, "daily": daily}

"""Import a platform's affiliate report (CSV): preview every row, then commit all or nothing.

Columns: order_id, click_id, amount (required); currency (USD), date (ISO 8601; today) optional.
Orders already recorded are skipped, so importing the same report twice adds nothing.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from marketplace.models import PurchaseClick, Sale
from marketplace.money import split_sale
from marketplace.purchases import services

REQUIRED = ("order_id", "click_id", "amount")
MAX_ROWS = 10_000
MAX_AMOUNT = Decimal("99999999.99")


class ReportRejected(Exception):
    def __init__(self, errors):
        super().__init__(f"Rows with errors: {len(errors)}; nothing was imported. Fix the report and upload it again.")
        self.errors = errors


@dataclass
class ReportRow:
    line: int
    order_id: str
    click: PurchaseClick
    amount: Decimal
    currency: str
    at: datetime
    commission: Decimal
    earnings: Decimal


@dataclass
class ReportPreview:
    new: list = field(default_factory=list)
    already_imported: list = field(default_factory=list)  # (line, order_id)
    errors: list = field(default_factory=list)  # (line, message); line 0 = the whole file

    @property
    def total_amount(self):
        return sum((row.amount for row in self.new), Decimal("0.00"))

    @property
    def total_commission(self):
        return sum((row.commission for row in self.new), Decimal("0.00"))

    @property
    def can_commit(self):
        return not self.errors and bool(self.new)


def _decode(data):
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _amount(raw):
    try:
        amount = Decimal(raw.strip().lstrip("$"))
    except (InvalidOperation, AttributeError):
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount.as_tuple().exponent < -2:
        return None
    return amount


def _when(raw):
    raw = (raw or "").strip()
    if not raw:
        return timezone.now()
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            return None
        moment = datetime.combine(day, time(12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment if moment <= timezone.now() else None


def preview_report(data, platform):
    """Parse and check every row against the database without writing anything."""
    preview = ReportPreview()
    text = _decode(data)
    if text is None:
        preview.errors.append((0, "The file is not UTF-8 text."))
        return preview
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        preview.errors.append((0, f"Missing column(s): {', '.join(missing)}. Expected: order_id, click_id, amount, "
                                  "and optionally currency, date."))
        return preview
    reader.fieldnames = header
    rows = list(reader)
    if len(rows) > MAX_ROWS:
        preview.errors.append((0, f"At most {MAX_ROWS} rows per import; this file has {len(rows)}."))
        return preview

    click_ids, order_ids = set(), []
    for raw in rows:
        try:
            click_ids.add(uuid.UUID((raw.get("click_id") or "").strip()))
        except ValueError:
            pass
        order_ids.append((raw.get("order_id") or "").strip())
    clicks = {c.click_id: c for c in PurchaseClick.objects.select_related("track__platform", "track")
              .filter(click_id__in=click_ids)}
    recorded = set(Sale.objects.filter(order_id__in=order_ids).values_list("order_id", flat=True))

    seen = {}
    for line, raw in enumerate(rows, start=2):  # line 1 is the header
        order_id = (raw.get("order_id") or "").strip()
        problems = []
        if not order_id:
            problems.append("order_id is empty")
        elif len(order_id) > 100:
            problems.append("order_id is longer than 100 characters")
        elif order_id in seen:
            problems.append(f"order_id {order_id} also appears on line {seen[order_id]}")
        else:
            seen[order_id] = line
        click = None
        try:
            click = clicks.get(uuid.UUID((raw.get("click_id") or "").strip()))
            if click is None:
                problems.append("click_id is not one of our clicks")
            elif click.track.platform_id != platform.pk:
                problems.append(f"click_id belongs to a {click.track.platform.name} track, not {platform.name}")
        except ValueError:
            problems.append("click_id is not a UUID")
        amount = _amount(raw.get("amount") or "")
        if amount is None:
            problems.append("amount must be a positive decimal with at most 2 decimal places")
        currency = (raw.get("currency") or "USD").strip().upper()
        if currency != "USD":
            problems.append(f"currency {currency} is not supported (USD only)")
        at = _when(raw.get("date"))
        if at is None:
            problems.append("date must be an ISO date or date-time, not in the future")
        if problems:
            preview.errors.append((line, "; ".join(problems)))
        elif order_id in recorded:
            preview.already_imported.append((line, order_id))
        else:
            commission, earnings = split_sale(amount, platform.commission_rate)
            preview.new.append(ReportRow(line, order_id, click, amount, currency, at, commission, earnings))
    return preview


@transaction.atomic
def import_report(data, platform):
    """Record every new sale in the report in one transaction, or none if any row is wrong.

    Returns the preview that was committed.
    """
    preview = preview_report(data, platform)
    if preview.errors:
        raise ReportRejected(preview.errors)
    for row in preview.new:
        services.record_sale(row.click.track, row.order_id, row.amount, currency=row.currency, click=row.click,
                             source=Sale.Source.CSV, at=row.at)
    return preview

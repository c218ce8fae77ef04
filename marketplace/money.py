"""All money arithmetic: Decimal only, rounded half-up to the cent."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_sale(amount, commission_rate):
    """Return (commission, earnings); they always add up to `amount` exactly."""
    amount = to_money(amount)
    commission = to_money(amount * Decimal(commission_rate))
    return commission, amount - commission


def percent(rate):
    """0.2000 -> '20', 0.2250 -> '22.5'."""
    return f"{(Decimal(rate) * 100).normalize():f}"

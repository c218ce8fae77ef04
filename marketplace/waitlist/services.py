"""The waitlist: one entry per address."""

from django.db import IntegrityError, transaction

from marketplace.models import WaitlistEntry


def join_waitlist(email, interest=WaitlistEntry.Interest.BUYER):
    """Add an address to the waitlist once (case-insensitive); returns (entry, created)."""
    email = email.strip().lower()
    entry = WaitlistEntry.objects.filter(email__iexact=email).first()
    if entry:
        return entry, False
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(email=email, interest=interest), True
    except IntegrityError:  # joined concurrently
        return WaitlistEntry.objects.get(email__iexact=email), False

"""The waitlist: one entry per address, confirmed by a double-opt-in link."""

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.models import WaitlistEntry

CONFIRM_SALT = "waitlist.confirm"
CONFIRM_MAX_AGE = 30 * 24 * 3600
RESEND_AFTER = 3600  # joining again while unconfirmed resends the link, at most this often


def join_waitlist(email, interest=WaitlistEntry.Interest.BUYER):
    """Add an address to the waitlist once (case-insensitive) and email its confirmation link; (entry, created)."""
    email = email.strip().lower()
    entry = WaitlistEntry.objects.filter(email__iexact=email).first()
    if entry:
        if entry.confirmed_at is None and cache.add(f"waitlist:confirm-sent:{entry.pk}", 1, RESEND_AFTER):
            _send_confirmation_after_commit(entry)
        return entry, False
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(email=email, interest=interest)
            cache.set(f"waitlist:confirm-sent:{entry.pk}", 1, RESEND_AFTER)
            _send_confirmation_after_commit(entry)
            return entry, True
    except IntegrityError:  # joined concurrently: the other request created it and sends the email
        return WaitlistEntry.objects.get(email__iexact=email), False


def count():
    """Confirmed places only: joining does not move it (so it cannot tell whether an address was new);
    opening the emailed link does."""
    return WaitlistEntry.objects.filter(confirmed_at__isnull=False).count()


def _send_confirmation_after_commit(entry):
    from marketplace.waitlist import tasks

    transaction.on_commit(lambda: tasks.email_waitlist_confirmation.delay(entry.pk))


def confirmation_url(entry):
    token = signing.dumps(entry.pk, salt=CONFIRM_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("marketplace:waitlist-confirm", args=[token])


def entry_for_token(token):
    """The entry a confirmation link was made for, or None when it is forged, expired or the entry is gone."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return WaitlistEntry.objects.filter(pk=pk).first()


def confirm(entry):
    """Mark the address confirmed (the first time only); it now gets the weekly newsletter."""
    WaitlistEntry.objects.filter(pk=entry.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    entry.refresh_from_db(fields=["confirmed_at"])
    return entry

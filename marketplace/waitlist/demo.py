"""Demo waitlist entries: some confirmed (they get the newsletter), some still waiting to confirm."""

from django.utils import timezone

from marketplace.models import WaitlistEntry


def seed_waitlist(count=12):
    now = timezone.now()
    interests = list(WaitlistEntry.Interest)
    entries = [WaitlistEntry(email=f"waiting{i}@demo.aimusicstore.test", interest=interests[i % len(interests)],
                             confirmed_at=now if i % 3 else None) for i in range(count)]
    WaitlistEntry.objects.bulk_create(entries, ignore_conflicts=True)

"""Demo notifications, so the demo users' centres and header counts show something."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from marketplace.notifications.models import Notification, NotificationPreference
from marketplace.notifications.services import Kind


def seed_notifications(users, tracks):
    """A few notifications of each kind that exists today for `users`; some already read."""
    now = timezone.now()
    rows = []
    for i, user in enumerate(users):
        mine = [t for t in tracks if t.creator_id == user.pk][:2] or tracks[i % len(tracks):][:1]
        others = [t for t in tracks if t.creator_id != user.pk][:3]
        for j, track in enumerate(others):
            rows.append(Notification(user=user, kind=Kind.CREATOR_PUBLISHED,
                                     title=f"New from {track.creator.name}: {track.title}",
                                     url=track.get_absolute_url(), created_at=now - timedelta(hours=3 * j + 1),
                                     read_at=now if j == 2 else None))
        for track in mine:
            rows.append(Notification(user=user, kind=Kind.TOP50_ENTERED,
                                     title=f"“{track.title}” entered the top 50 this week",
                                     url=reverse("marketplace:top"), created_at=now - timedelta(hours=5)))
        rows.append(Notification(user=user, kind=Kind.PAYOUT_CHANGED, title="Your payout of $62.40 was paid",
                                 url=reverse("marketplace:earnings"), created_at=now - timedelta(days=2),
                                 read_at=now - timedelta(days=1)))
        NotificationPreference.objects.update_or_create(user=user, kind=Kind.WEEKLY_DIGEST,
                                                        defaults={"in_app": False, "email": True})
    Notification.objects.bulk_create(rows)
    return len(rows)

"""Writes for notifications: `notify()` is the one way anything tells a member something.

Other features call `notify(user, Notification.Kind.X, title=..., url=...)`; it applies the
member's switches for that kind (in the centre, by email, both or neither), records the event
once per `dedupe_key`, and queues the email after the surrounding transaction commits.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.notifications.models import Notification, NotificationPreference

Kind = Notification.Kind


@dataclass(frozen=True)
class Switches:
    in_app: bool
    email: bool


# Without a preference row: everything on, except the newsletter, which members opt in to.
DEFAULTS = {kind: Switches(in_app=True, email=True) for kind in Kind}
DEFAULTS[Kind.WEEKLY_DIGEST] = Switches(in_app=False, email=False)
# The newsletter is an email only; it has no entry in the centre.
EMAIL_ONLY = {Kind.WEEKLY_DIGEST}


def preferences(user):
    """{kind: Switches} for every kind. The follower email keeps living on `User.notify_new_tracks`
    (the switch its emails' unsubscribe link turns off)."""
    rows = {row.kind: row for row in NotificationPreference.objects.filter(user=user)}
    found = {}
    for kind in Kind:
        row = rows.get(kind)
        found[kind] = Switches(row.in_app, row.email) if row else DEFAULTS[kind]
    found[Kind.CREATOR_PUBLISHED] = Switches(found[Kind.CREATOR_PUBLISHED].in_app, bool(user.notify_new_tracks))
    return found


@transaction.atomic
def set_preferences(user, switches):
    """Save {kind: Switches} for the member (kinds left out keep theirs)."""
    from accounts.models import User

    for kind, wanted in switches.items():
        kind = Kind(kind)
        in_app = False if kind in EMAIL_ONLY else wanted.in_app
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"in_app": in_app, "email": wanted.email})
        if kind == Kind.CREATOR_PUBLISHED:
            User.objects.filter(pk=user.pk).update(notify_new_tracks=wanted.email)
            user.notify_new_tracks = wanted.email


def wants_newsletter(user):
    return preferences(user)[Kind.WEEKLY_DIGEST].email


def notify(user, kind, *, title, url="", body="", dedupe_key="", email=True):
    """Tell `user` about something of `kind`, as their switches for it say; returns the Notification or None.

    `dedupe_key` makes it once only (per member and key, even when called concurrently).
    `email=False` when the caller sends its own email for this event (the follower email does).
    """
    from accounts.models import User

    kind = Kind(kind)
    switches = preferences(user)[kind]
    in_app = switches.in_app and kind not in EMAIL_ONLY
    send_email = email and switches.email and user.is_active and user.role != User.Role.AGENT
    if not (in_app or send_email):
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, title=title[:200], body=body[:1000], url=url[:500], in_app=in_app,
                dedupe_key=dedupe_key[:120])
    except IntegrityError:  # already told about this one
        return None
    if send_email:
        from marketplace.notifications import tasks

        transaction.on_commit(lambda: tasks.email_notification.delay(notification.pk))
    return notification


def mark_read(user, ids=None):
    """Mark the member's unread notifications read (only `ids` when given); returns how many were marked."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def claim_email(notification_id):
    """The notification to email, claimed so that a retried task never emails it twice.

    None if it was claimed already, or if the member has switched that kind's email off since.
    """
    from accounts.models import User

    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
    if not claimed:
        return None
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    user = notification.user
    if not (preferences(user)[notification.kind].email and user.is_active and user.role != User.Role.AGENT):
        return None
    return notification


# --- The kinds that exist today, called from where their events happen -----------------------

def notify_followers_published(track):
    """In-app notifications for a creator's followers (the catalogue task emails them itself)."""
    follows = track.creator.followers.select_related("follower").filter(follower__is_active=True)
    for follow in follows:
        notify(follow.follower, Kind.CREATOR_PUBLISHED, title=f"New from {track.creator.name}: {track.title}",
               url=track.get_absolute_url(), dedupe_key=f"published:{track.pk}", email=False)


def notify_top50_entries(track_ids, period_label="this week"):
    """Tell each creator whose track just entered the top 50 (once per track and ISO week)."""
    from marketplace.models import Track

    year, week, _ = timezone.localdate().isocalendar()
    for track in Track.objects.select_related("creator").filter(pk__in=track_ids):
        notify(track.creator, Kind.TOP50_ENTERED, title=f"“{track.title}” entered the top 50 {period_label}",
               url=reverse("marketplace:top"), dedupe_key=f"top50:{track.pk}:{year}-W{week:02d}")


def notify_payout_changed(payout):
    """Tell the creator their payout was approved, paid or rejected."""
    status = payout.get_status_display().lower()
    body = f"Note from staff: {payout.note}" if payout.note else ""
    notify(payout.creator, Kind.PAYOUT_CHANGED, title=f"Your payout of ${payout.amount} was {status}",
           body=body, url=reverse("marketplace:earnings"), dedupe_key=f"payout:{payout.pk}:{payout.status}")

"""The weekly newsletter: who gets it, what it says, and sending it exactly once per address and week.

`send_weekly_newsletter()` is safe to run twice at once and to run again after a crash:
1. it records one `NewsletterSend` row per recipient and week (a unique pair; conflicts ignored);
2. it claims a batch of unsent rows with `SELECT … FOR UPDATE SKIP LOCKED` and a lease, so two
   runs at once take different rows and a row being sent is never taken by another run;
3. it sends each email and stamps its row `sent_at` straight after, so a retry skips it.
A run that fails releases the claims it had not used; one that is killed leaves them to expire
after the lease (`NEWSLETTER_CLAIM_SECONDS`). The only window for a second copy is a crash between
the mail server accepting a message and the row being stamped: one message, not a batch.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from marketplace.newsletter.models import NewsletterSend

UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
TOP_TRACKS = 10


def week_of(day=None):
    """The Monday of the ISO week `day` (today) is in: one issue per such week."""
    day = day or timezone.localdate()
    return day - timedelta(days=day.weekday())


def campaign(week):
    year, number, _ = week.isocalendar()
    return f"weekly-{year}-w{number:02d}"


def recipients():
    """Lower-cased addresses of members who opted in and of confirmed, subscribed waitlist entries."""
    from accounts.models import User
    from marketplace.models import WaitlistEntry
    from marketplace.notifications.services import Kind

    members = User.objects.filter(is_active=True, notification_preferences__kind=Kind.WEEKLY_DIGEST,
                                  notification_preferences__email=True).exclude(role=User.Role.AGENT)
    waitlist = WaitlistEntry.objects.filter(confirmed_at__isnull=False, newsletter_unsubscribed_at__isnull=True)
    emails = {e.lower() for e in members.values_list("email", flat=True)}
    emails |= {e.lower() for e in waitlist.values_list("email", flat=True)}
    return sorted(emails)


def _site_absolute(url, site=None):
    return (site or settings.SITE_URL).rstrip("/") + url if url.startswith("/") else url


def build_issue(week, site=None):
    """The issue's content, the same for everyone: the week's top tracks with campaign-tagged links.

    `site` overrides SITE_URL for the links and covers (the admin preview uses the host it is viewed on).
    """
    from voting import rankings

    def absolute(url):
        return _site_absolute(url, site)

    tags = urlencode({"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": campaign(week)})
    tracks = [{
        "title": track.title, "creator": track.creator.name, "genre": track.get_genre_display(),
        "url": f"{absolute(track.get_absolute_url())}?{tags}", "cover_url": absolute(track.cover_url),
    } for track in rankings.top_tracks("weekly", TOP_TRACKS)]
    return {
        "week": week, "campaign": campaign(week), "tracks": tracks,
        "subject": f"The week's top AI tracks — week of {week:%b} {week.day}",
        "top_url": f"{absolute(reverse('marketplace:top'))}?{tags}",
    }


def unsubscribe_url(email):
    token = signing.dumps(email.lower(), salt=UNSUBSCRIBE_SALT)
    return _site_absolute(reverse("marketplace:newsletter-unsubscribe", args=[token]))


def read_unsubscribe_token(token):
    """The address a token was made for, or None when it is forged."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def render_message(issue, email):
    """The issue as one address gets it: text and HTML parts, one-click unsubscribe headers (RFC 8058)."""
    unsubscribe = unsubscribe_url(email)
    context = {**issue, "unsubscribe_url": unsubscribe}
    message = EmailMultiAlternatives(
        issue["subject"], render_to_string("marketplace/newsletter/weekly.txt", context),
        settings.DEFAULT_FROM_EMAIL, [email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("marketplace/newsletter/weekly.html", context), "text/html")
    return message


def _claim(week, batch_size, lease_seconds):
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            NewsletterSend.objects.select_for_update(skip_locked=True)
            .filter(week=week, sent_at__isnull=True).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("id").values_list("id", flat=True)[:batch_size]
        )
        NewsletterSend.objects.filter(pk__in=ids).update(claimed_until=now + timedelta(seconds=lease_seconds))
    return list(NewsletterSend.objects.filter(pk__in=ids).order_by("id"))


def send_weekly_newsletter(week=None, batch_size=None, lease_seconds=None):
    """Send this week's issue to every recipient who has not had it; returns how many this run sent."""
    week = week or week_of()
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    lease_seconds = lease_seconds or settings.NEWSLETTER_CLAIM_SECONDS
    issue = build_issue(week)
    if not issue["tracks"]:
        return 0
    audience = set(recipients())
    NewsletterSend.objects.bulk_create([NewsletterSend(email=email, week=week) for email in sorted(audience)],
                                       ignore_conflicts=True, batch_size=1000)
    sent = 0
    while batch := _claim(week, batch_size, lease_seconds):
        unsent = {row.pk for row in batch}
        try:
            with get_connection() as connection:
                for row in batch:
                    if row.email not in audience:  # unsubscribed since an earlier run made its row
                        NewsletterSend.objects.filter(pk=row.pk, sent_at__isnull=True).delete()
                        unsent.discard(row.pk)
                        continue
                    connection.send_messages([render_message(issue, row.email)])
                    NewsletterSend.objects.filter(pk=row.pk, sent_at__isnull=True).update(sent_at=timezone.now())
                    unsent.discard(row.pk)
                    sent += 1
        finally:
            # Whatever this run claimed and did not send goes back for the next run (or the retry).
            NewsletterSend.objects.filter(pk__in=unsent, sent_at__isnull=True).update(claimed_until=None)
    return sent


@transaction.atomic
def unsubscribe(email):
    """Stop the newsletter for this address: a member's switch off, a waitlist entry marked."""
    from accounts.models import User
    from marketplace.models import WaitlistEntry
    from marketplace.notifications.models import NotificationPreference
    from marketplace.notifications.services import Kind

    for user in User.objects.filter(email__iexact=email):
        NotificationPreference.objects.update_or_create(user=user, kind=Kind.WEEKLY_DIGEST,
                                                        defaults={"in_app": False, "email": False})
    WaitlistEntry.objects.filter(email__iexact=email, newsletter_unsubscribed_at__isnull=True).update(
        newsletter_unsubscribed_at=timezone.now())

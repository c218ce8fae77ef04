"""The admin home's queue sizes: what is waiting for staff, each linking to its list."""

from django import template
from django.urls import NoReverseMatch, reverse

from marketplace.models import Payout, Track
from voting.models import Vote

register = template.Library()


def _open_reports():
    """(count, url) of open reports, or None while the moderation package (issue 15, reports) is absent."""
    try:
        from marketplace.moderation.models import Report
    except ImportError:
        return None
    try:
        url = reverse("admin:marketplace_report_changelist") + "?status__exact=open"
    except NoReverseMatch:
        url = ""
    return Report.objects.filter(status="open").count(), url


@register.simple_tag
def staff_queues():
    """[{label, count, url}] for the admin home, in the order staff should work through them."""
    queues = []
    reports = _open_reports()
    if reports is not None:
        queues.append({"label": "Open reports", "count": reports[0], "url": reports[1]})
    queues += [
        {"label": "Uploads held for review", "count": Track.objects.filter(status=Track.Status.PENDING).count(),
         "url": reverse("admin:marketplace_track_changelist") + "?status__exact=pending"},
        {"label": "Votes flagged as suspected abuse",
         "count": Vote.objects.filter(status=Vote.Status.SUSPECTED).count(),
         "url": reverse("admin:voting_vote_changelist") + "?status__exact=suspected"},
        {"label": "Payouts to approve", "count": Payout.objects.filter(status=Payout.Status.REQUESTED).count(),
         "url": reverse("admin:marketplace_payout_changelist") + "?status__exact=requested"},
        {"label": "Approved payouts to pay", "count": Payout.objects.filter(status=Payout.Status.APPROVED).count(),
         "url": reverse("admin:marketplace_payout_changelist") + "?status__exact=approved"},
    ]
    return queues

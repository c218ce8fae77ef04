"""Reads for notifications: the centre's list and the header's unread count."""

from marketplace.notifications.models import Notification


def centre(user):
    """The member's in-app notifications, newest first."""
    return Notification.objects.filter(user=user, in_app=True).order_by("-created_at", "-id")


def unread_count(user):
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()

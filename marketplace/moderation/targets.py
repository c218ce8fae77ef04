"""What can be reported: one entry per target kind, so a new kind is one `register(...)` line.

Each kind says which objects may be reported (`reportable`), whose work an object is (the
creator moderation acts on), how staff see it, and where it lives.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TargetKind:
    name: str
    label: str
    reportable: Callable  # () -> queryset of the objects that may be reported
    creator_of: Callable  # (obj) -> the user whose work it is


TARGETS = {}


def register(kind):
    TARGETS[kind.name] = kind
    return kind


def kind_of(name):
    return TARGETS.get(name)


def find(target_type, target_id):
    """The reportable object, or None (an unknown kind or id, or one the public cannot see)."""
    kind = TARGETS.get(target_type)
    if kind is None:
        return None
    try:
        return kind.reportable().filter(pk=int(target_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def load(target_type, target_id):
    """The object whatever its state (for staff), or None."""
    kind = TARGETS.get(target_type)
    if kind is None:
        return None
    model = kind.reportable().model
    return model._default_manager.filter(pk=target_id).first()


def _tracks():
    from marketplace.models import Track

    return Track.objects.published().select_related("creator")


def _creators():
    from accounts.models import User

    return User.objects.filter(is_active=True)


register(TargetKind("track", "Track", _tracks, lambda track: track.creator))
register(TargetKind("creator", "Creator", _creators, lambda user: user))


def _reviews():
    from marketplace.reviews.models import Review

    return Review.objects.filter(track__status="published").select_related("author", "track")


register(TargetKind("review", "Review", _reviews, lambda review: review.author))

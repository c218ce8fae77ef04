"""Demo moderation data: a few open reports for the queue, and one hidden track the demo creator can appeal."""

from accounts.models import User
from marketplace.models import Track
from marketplace.moderation import services
from marketplace.moderation.models import Report


def seed_moderation(track_list, voters, creator_email):
    """Reports from demo voters on three tracks (one with two reasons) and one demo-creator track hidden."""
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    reporters = [v for v in voters if v.is_active][:4]
    reported = [t for t in track_list if t.creator.email != creator_email][:3]
    reasons = ["not_ai", "spam", "broken_link", "copyright"]
    for i, track in enumerate(reported):
        for reporter, reason in zip(reporters[: 2 if i == 0 else 1], reasons[i:], strict=False):
            if not Report.objects.filter(reporter=reporter, target_type="track", target_id=track.pk).exists():
                services.file_report(reporter, "track", track.pk, reason, "Demo report")
    own = Track.objects.filter(creator__email=creator_email, status=Track.Status.PUBLISHED).order_by("-pk").first()
    if own is not None and staff is not None:
        services.hide(own, "Demo: the preview sounds like a commercial release; appeal if it is yours.", staff)

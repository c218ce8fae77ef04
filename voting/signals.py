from voting import services
from voting.models import ToolScore, TrackScore


def reweigh_on_email_confirmed(request, email_address, **kwargs):
    """A newly verified email raises the voter's trust: re-weigh their votes and recompute those targets."""
    services.recompute_targets(*services.reweigh_votes([services.principal_of(email_address.user_id)]))


def create_score_row(sender, instance, created, raw=False, **kwargs):
    """Every track and tool has a score row from birth, so score sorts can walk the score indexes."""
    if created and not raw:
        model = TrackScore if sender.__name__ == "Track" else ToolScore
        field = "track" if sender.__name__ == "Track" else "tool"
        model.objects.get_or_create(**{field: instance})


def fingerprint_signup(request, user, **kwargs):
    """Keep hashes of a web sign-up's address and browser (co-registration signals for the detectors)."""
    from voting.trust.services import record_signup

    record_signup(user, request)

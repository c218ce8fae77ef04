from . import services


def reweigh_on_email_confirmed(request, email_address, **kwargs):
    """A newly verified email raises the voter's trust: re-weigh their votes and recompute those targets."""
    services.recompute_targets(*services.reweigh_votes([services.principal_of(email_address.user_id)]))

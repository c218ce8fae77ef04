from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "voting"

    def ready(self):
        from allauth.account.signals import email_confirmed, user_signed_up
        from django.db.models.signals import post_save

        from voting import signals

        email_confirmed.connect(signals.reweigh_on_email_confirmed, dispatch_uid="voting-reweigh-on-email")
        user_signed_up.connect(signals.fingerprint_signup, dispatch_uid="voting-signup-fingerprint")
        for model in ("Track", "Tool"):
            post_save.connect(
                signals.create_score_row, sender=f"marketplace.{model}", dispatch_uid=f"voting-score-row-{model}"
            )

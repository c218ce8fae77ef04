from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "voting"

    def ready(self):
        from allauth.account.signals import email_confirmed

        from . import signals

        email_confirmed.connect(signals.reweigh_on_email_confirmed, dispatch_uid="voting-reweigh-on-email")

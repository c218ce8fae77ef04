from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"

    def ready(self):
        from django.db.models.signals import post_migrate

        from marketplace import site_identity  # noqa: F401  (registers the Sites row check)

        post_migrate.connect(site_identity.sync_after_migrate, sender=self)
        from marketplace.analysis import signals as analysis_signals  # noqa: F401  (the analysis trigger)
        from marketplace.catalogue import signals  # noqa: F401  (connects the waveform trigger)

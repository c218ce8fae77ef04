from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"

    def ready(self):
        from marketplace.analysis import signals as analysis_signals  # noqa: F401  (the analysis trigger)
        from marketplace.catalogue import signals  # noqa: F401  (connects the waveform trigger)

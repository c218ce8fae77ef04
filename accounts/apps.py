from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import signals  # noqa: F401  (forgets cached API keys when a key or its user changes)
        from aimusicstore.audit import register_audited_models

        register_audited_models()

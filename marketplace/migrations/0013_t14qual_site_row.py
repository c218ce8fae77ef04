"""The Sites row says settings.SITE_DOMAIN / SITE_NAME instead of Django's "example.com"."""

from django.db import migrations


def forwards(apps, schema_editor):
    from marketplace.site_identity import sync_site_row

    sync_site_row(apps.get_model("sites", "Site"), using=schema_editor.connection.alias)


def backwards(apps, schema_editor):
    pass  # the row stays as it was set; nothing to undo


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0012_t22hooks_webhooks"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

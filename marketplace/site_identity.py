"""The site's own name and domain (settings.SITE_NAME / SITE_DOMAIN) in django.contrib.sites' row.

allauth's emails ("Hello from …!"), sitemaps and feeds read the Sites row, not settings. Settings
are the source of truth: a data migration writes the row once, every `migrate` (and a test
database's flush, which recreates Django's "example.com" default) syncs it again, and a system
check warns when someone has edited it to disagree.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

CHECK_ID = "marketplace.W014"


def sync_site_row(site_model=None, using="default"):
    """Make the SITE_ID row say settings.SITE_DOMAIN and SITE_NAME; returns the row."""
    if site_model is None:
        from django.contrib.sites.models import Site as site_model
    site, _ = site_model.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME})
    if hasattr(site_model.objects, "clear_cache"):
        site_model.objects.clear_cache()
    return site


def sync_after_migrate(sender, using="default", apps=None, **kwargs):
    """post_migrate: runs after django.contrib.sites' own handler has made its example.com row."""
    site_model = apps.get_model("sites", "Site") if apps else None
    try:
        sync_site_row(site_model, using=using)
    except (LookupError, DatabaseError):
        return  # the sites table is not there yet (a partial migrate)


@checks.register(checks.Tags.database)
def check_site_row(app_configs=None, databases=None, **kwargs):
    """Warn when the Sites row disagrees with SITE_DOMAIN / SITE_NAME (`manage.py check --database default`)."""
    if not databases or "default" not in databases:
        return []
    from django.contrib.sites.models import Site

    try:
        site = Site.objects.filter(pk=settings.SITE_ID).first()
    except DatabaseError:
        return []  # not migrated yet: migrate will write the row
    if site is not None and (site.domain, site.name) == (settings.SITE_DOMAIN, settings.SITE_NAME):
        return []
    found = f"{site.domain!r} / {site.name!r}" if site else "no row"
    return [checks.Warning(
        f"The Sites row (SITE_ID={settings.SITE_ID}) says {found}, but SITE_DOMAIN / SITE_NAME are "
        f"{settings.SITE_DOMAIN!r} / {settings.SITE_NAME!r}: emails, sitemaps and feeds would use the row.",
        hint="Run `manage.py migrate` (it syncs the row from settings) or fix SITE_DOMAIN / SITE_NAME.",
        id=CHECK_ID,
    )]

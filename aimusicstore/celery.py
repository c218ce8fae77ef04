import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")

app = Celery("aimusicstore")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The marketplace keeps its tasks in its feature packages.
app.autodiscover_tasks([
    "marketplace.analysis", "marketplace.catalogue", "marketplace.discovery", "marketplace.listening",
    "marketplace.newsletter", "marketplace.notifications", "marketplace.supply", "marketplace.waitlist",
    "marketplace.webhooks",
])

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")

app = Celery("aimusicstore")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(related_name="studio_tasks")

"""Forget cached API keys whenever a key or its user changes (accounts.authentication)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.authentication import forget_keys, forget_keys_of
from accounts.models import ApiKey


@receiver([post_save, post_delete], sender=ApiKey)
def forget_changed_key(sender, instance, raw=False, **kwargs):
    if not raw:
        forget_keys([instance.key_hash])


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def forget_keys_of_changed_user(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if not raw and not created and update_fields != frozenset({"last_login"}):
        forget_keys_of([instance.pk])

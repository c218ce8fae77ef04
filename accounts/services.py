"""Writes for accounts: profile changes, each inside a transaction."""

from django.db import transaction

from marketplace import validators

from .models import HandleRedirect, User


@transaction.atomic
def update_profile(user, data):
    """Save profile fields; a new handle leaves a HandleRedirect so old profile URLs keep working."""
    user = User.objects.select_for_update().get(pk=user.pk)
    new_handle = data.get("handle", user.handle)
    if new_handle != user.handle:
        HandleRedirect.objects.filter(old_handle=new_handle, user=user).delete()  # taking an old handle back
        HandleRedirect.objects.update_or_create(old_handle=user.handle, defaults={"user": user})
        user.handle = new_handle
    for name in ("display_name", "bio", "links", "notify_new_tracks"):
        if name in data:
            setattr(user, name, data[name])
    avatar = data.get("avatar")
    if avatar:
        old = user.avatar.name if user.avatar else ""
        user.avatar.save("avatar.jpg", validators.reencode_image(avatar, validators.AVATAR_SIDE, "avatar"), save=False)
        if old:
            user.avatar.storage.delete(old)
    user.save()
    return user


def unsubscribe_from_new_track_emails(user):
    User.objects.filter(pk=user.pk).update(notify_new_tracks=False)

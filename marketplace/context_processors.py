from django.conf import settings
from django.utils.functional import SimpleLazyObject


def favourites_and_follows(request):
    """The signed-in user's favourite track ids and followed creator ids.

    Lazy: each costs one query, and only on pages that show a heart or a follow button.
    """

    def ids(relation, field):
        def load():
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return frozenset()
            return frozenset(getattr(user, relation).values_list(field, flat=True))

        return SimpleLazyObject(load)

    return {"favourite_ids": ids("favourites", "track_id"), "followed_ids": ids("following", "creator_id")}


def site(request):
    """The site's own name and domain (settings.SITE_NAME / SITE_DOMAIN) for every template."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_DOMAIN": settings.SITE_DOMAIN, "SITE_URL": settings.SITE_URL}

"""Celery tasks of discovery: work done ahead so listings stay cheap."""

from celery import shared_task


@shared_task(acks_late=True, name="marketplace.tasks.refresh_facet_counts")
def refresh_facet_counts():
    """Keep browse's facet counts warm for the states most visitors land on: no filter and each
    single genre (home's top genres read the first). At a million tracks a count is a scan of
    several hundred milliseconds, which belongs here, not in a visitor's request."""
    from django.http import QueryDict

    from marketplace.catalogue.vocabulary import GENRES
    from marketplace.discovery.filters import FACET_REFRESH_TTL, TrackFilter
    from marketplace.models import Track

    written = set()
    for genre in ["", *(slug for slug, _ in GENRES)]:
        data = QueryDict(f"genre={genre}" if genre else "")
        filterset = TrackFilter(data, queryset=Track.objects.published())
        written |= filterset.refresh_facet_counts(FACET_REFRESH_TTL, skip=written)
    return len(written)


@shared_task(acks_late=True, name="marketplace.tasks.refresh_similar_lists")
def refresh_similar_lists():
    """Work out the similar lists that are due (new tracks first, then the stalest), a bounded batch a run,
    so a track page nobody opened lately ranks nothing (marketplace.discovery.services)."""
    from marketplace.discovery import services

    return services.refresh_similar_lists()

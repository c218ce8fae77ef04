from celery import shared_task

from . import waveforms


@shared_task(acks_late=True)
def compute_waveform(track_id):
    """Decode a track's stored preview into its peak list; idempotent, so a retry is harmless."""
    waveforms.store_waveform(track_id)


@shared_task(acks_late=True)
def refresh_facet_counts():
    """Keep browse's facet counts warm for the states most visitors land on: no filter and each
    single genre (home's top genres read the first). At a million tracks a count is a scan of
    several hundred milliseconds, which belongs here, not in a visitor's request."""
    from django.http import QueryDict

    from .catalog import GENRES
    from .filters import FACET_REFRESH_TTL, TrackFilter
    from .models import Track

    written = set()
    for genre in ["", *(slug for slug, _ in GENRES)]:
        data = QueryDict(f"genre={genre}" if genre else "")
        filterset = TrackFilter(data, queryset=Track.objects.published())
        written |= filterset.refresh_facet_counts(FACET_REFRESH_TTL, skip=written)
    return len(written)

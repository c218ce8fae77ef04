from celery import shared_task

from . import waveforms


@shared_task(acks_late=True)
def compute_waveform(track_id):
    """Decode a track's stored preview into its peak list; idempotent, so a retry is harmless."""
    waveforms.store_waveform(track_id)

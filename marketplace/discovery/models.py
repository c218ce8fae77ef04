"""What discovery works out ahead: each track's similar tracks, kept by a Celery task.

Imported at the bottom of marketplace/models.py, so the model belongs to the marketplace app.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class SimilarList(models.Model):
    """A track's similar tracks, best first, as marketplace.discovery.selectors.similar_ids ranked them.

    Worked out by marketplace.discovery.services.refresh_similar_lists, not on a visitor's page:
    the ranking scores up to 650 candidates and, once tracks are analysed, compares 2,000 of their
    sound-feature vectors, which is tens of milliseconds. A list worked out before its track's last
    edit is not used (the page works it out as before) and is the next to be worked out again.
    """

    track = models.OneToOneField("marketplace.Track", on_delete=models.CASCADE, primary_key=True,
                                 related_name="similar_list")
    ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Similar to track {self.track_id}: {len(self.ids)}"

    def fresh_for(self, track):
        """Whether this list was worked out after `track` was last edited (its genre, moods or tempo)."""
        return self.computed_at >= track.updated_at

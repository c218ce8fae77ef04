"""What the analyser measured on a track's preview, and the fingerprint sub-hash index.

Imported at the bottom of marketplace/models.py, so both models belong to the marketplace app.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class TrackAnalysis(models.Model):
    """One row per track: the measured values of its current preview, with the analyser version."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for analysis"
        DONE = "done", "Analysed"
        UNAVAILABLE = "unavailable", "Preview unavailable"

    track = models.OneToOneField("marketplace.Track", on_delete=models.CASCADE, related_name="analysis")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    version = models.CharField(max_length=20, blank=True, help_text="Analyser version that measured this row")
    source = models.CharField(max_length=600, blank=True, help_text="The preview file name or URL measured")
    problem = models.CharField(max_length=200, blank=True, help_text="Why the preview is unavailable")
    loudness_lufs = models.FloatField(null=True, blank=True, help_text="Integrated loudness of the original")
    true_peak_dbtp = models.FloatField(null=True, blank=True)
    loudness_range = models.FloatField(null=True, blank=True, help_text="LRA, LU")
    normalised_lufs = models.FloatField(null=True, blank=True, help_text="Integrated loudness of the served copy")
    bpm = models.FloatField(null=True, blank=True)
    bpm_confidence = models.FloatField(null=True, blank=True, help_text="0 (unsure) to 1")
    key = models.CharField(max_length=12, blank=True, help_text="e.g. 'A minor'")
    key_strength = models.FloatField(null=True, blank=True)
    fingerprint = models.TextField(blank=True, help_text="Compressed Chromaprint")
    features = ArrayField(models.FloatField(), default=list, blank=True,
                          help_text="Standardised sound-feature vector (MFCC, chroma, spectral statistics)")
    duplicate_of = models.ForeignKey("marketplace.Track", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text="A catalogue track with the same audio")
    duplicate_bit_error = models.FloatField(null=True, blank=True)
    analysed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key"], name="analysis_key_idx")]
        verbose_name_plural = "track analyses"

    def __str__(self):
        return f"analysis of track {self.track_id} ({self.get_status_display()})"

    @property
    def detected_bpm(self):
        return round(self.bpm) if self.bpm else None

    @property
    def own_reupload(self):
        return self.duplicate_of_id is not None and self.duplicate_of.creator_id == self.track.creator_id


class FingerprintHash(models.Model):
    """One sub-hash of one track's fingerprint: the inverted index a re-upload lookup reads.

    A lookup is `WHERE hash = ANY(...) GROUP BY track`, served by the (hash, track) index, so its
    cost follows the number of matching rows, not the size of the catalogue.
    """

    track = models.ForeignKey("marketplace.Track", on_delete=models.CASCADE, related_name="+", db_index=False)
    hash = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["track", "hash"], name="fingerprint_track_hash_uniq")]
        indexes = [models.Index(fields=["hash", "track"], name="fingerprint_hash_idx")]

    def __str__(self):
        return f"{self.hash} of track {self.track_id}"

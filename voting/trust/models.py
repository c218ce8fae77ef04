"""Models of the earned-influence defences; imported at the bottom of voting/models.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Listen(models.Model):
    """Proof that a user heard a track's preview for at least LISTEN_SECONDS (or, for an agent,
    fetched it through the API) — the costly signal a track vote needs to carry weight."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listens")
    track = models.ForeignKey("marketplace.Track", on_delete=models.CASCADE, related_name="listens")
    seconds = models.FloatField(default=0)
    source = models.CharField(max_length=10, default="player", help_text="player or api")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "voting"
        constraints = [models.UniqueConstraint(fields=["user", "track"], name="listen_once_per_user_track")]

    def __str__(self):
        return f"{self.user_id} heard {self.track_id} ({self.seconds:.0f} s)"


class Trust(models.Model):
    """An account's earned trust in [0, 1] from the periodic SybilRank job (voting/trust/sybilrank.py)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="trust")
    trust = models.FloatField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "voting"

    def __str__(self):
        return f"trust of {self.user_id}: {self.trust:.3f}"


class SignupFingerprint(models.Model):
    """Salted hashes of the address and browser an account signed up from (co-registration signals)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="signup_fingerprint")
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ua_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "voting"

    def __str__(self):
        return f"sign-up of {self.user_id}"

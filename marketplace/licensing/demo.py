"""Demo rights: every licence, YouTube-safe and AI-credit filter returns something in the demo store."""

from marketplace.licensing.models import Licence
from marketplace.licensing.services import ensure_standard_licences, summarise_credits

MODEL_VERSIONS = ["v4.5", "v3.5", "Allegro", "1.0", "2.1"]
ATTESTATIONS = ["made on a paid Suno Pro plan", "made on an Udio Standard plan", "own composition, AI-rendered",
                "made on a Mubert Creator plan", ""]
CREDIT_SETS = [
    {"composition": "ai", "lyrics": "ai", "vocals": "ai", "instrumentation": "ai", "production": "ai"},
    {"composition": "human", "lyrics": "human", "vocals": "ai", "instrumentation": "ai", "production": "mixed"},
    {"composition": "ai", "lyrics": "none", "vocals": "none", "instrumentation": "ai", "production": "ai"},
    {"composition": "mixed", "lyrics": "human", "vocals": "ai", "instrumentation": "ai", "production": "human"},
]
HUMAN_WORK = ["", "Lyrics written by the artist; mix by hand.", "", "Arrangement and mastering by a person."]


def seed_licensing(rng, tracks):
    """Give the demo tracks varied licences, attestations and credits (deterministic for a seed)."""
    ensure_standard_licences()
    licences = list(Licence.objects.order_by("position"))
    for i, track in enumerate(tracks):
        track.licence = licences[i % len(licences)]
        track.licence_attestation = ATTESTATIONS[i % len(ATTESTATIONS)]
        track.youtube_safe_attested = track.licence.online_monetised and rng.random() < 0.6
        credits = CREDIT_SETS[i % len(CREDIT_SETS)]
        track.ai_credits = credits
        track.ai_summary = summarise_credits(credits)
        track.ai_model_version = MODEL_VERSIONS[i % len(MODEL_VERSIONS)]
        track.human_contribution = HUMAN_WORK[i % len(HUMAN_WORK)]
    if tracks:
        type(tracks[0]).objects.bulk_update(tracks, [
            "licence", "licence_attestation", "youtube_safe_attested", "ai_credits", "ai_summary", "ai_model_version",
            "human_contribution",
        ])

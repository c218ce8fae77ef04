"""Rights writes: a track's licence and AI credits defaults, receipts, YouTube-safe claims."""

from django.core.exceptions import ValidationError
from django.db import transaction

from aimusicstore import pagecache
from marketplace.licensing.models import CREDIT_PARTS, CREDIT_VALUES, ContentIdClaim, Licence, Receipt

DEFAULT_LICENCE = "personal"


def summarise_credits(credits):
    """"human-assisted" when a person made or co-made any part, "ai-native" when AI made every credited
    part, "" when nothing is credited (no badge rather than a guess)."""
    values = {value for value in (credits or {}).values() if value != "none"}
    if values & {"human", "mixed"}:
        return "human-assisted"
    if "ai" in values:
        return "ai-native"
    return ""


def clean_credits(value):
    """{part: ai/human/mixed/none} with known parts only; raises ValidationError naming the bad part."""
    if not isinstance(value, dict):
        raise ValidationError("Give an object of part: value, e.g. {\"vocals\": \"ai\"}.")
    unknown = sorted(set(value) - set(CREDIT_PARTS))
    if unknown:
        raise ValidationError(f"Unknown part '{unknown[0]}'. Parts: {', '.join(CREDIT_PARTS)}.")
    for part, credit in value.items():
        if credit not in CREDIT_VALUES:
            raise ValidationError(f"'{part}' must be one of: {', '.join(CREDIT_VALUES)}.")
    return dict(value)


def licence_by_code(code):
    """The licence with this code; raises ValidationError listing the codes there are."""
    licence = Licence.objects.filter(code=str(code).strip().lower()).first()
    if licence is None:
        codes = ", ".join(Licence.objects.values_list("code", flat=True))
        raise ValidationError(f"Unknown licence '{code}'. Choose one of: {codes}.")
    return licence


def ensure_standard_licences():
    """Load the standard licences that are missing (the data migration does it; a flushed test database not)."""
    from marketplace.licensing.standard import STANDARD_LICENCES

    if Licence.objects.filter(code__in=[terms["code"] for terms in STANDARD_LICENCES]).count() < len(
            STANDARD_LICENCES):
        for terms in STANDARD_LICENCES:
            Licence.objects.get_or_create(code=terms["code"], defaults=terms)


def default_licence():
    licence = Licence.objects.filter(code=DEFAULT_LICENCE).first()
    if licence is None:
        ensure_standard_licences()
        licence = Licence.objects.filter(code=DEFAULT_LICENCE).first()
    return licence


def apply_track_defaults(track):
    """Called by Track.save(): the site's default licence when none is chosen, and the AI summary."""
    if track.licence_id is None:
        track.licence = default_licence()
    track.ai_summary = summarise_credits(track.ai_credits)


@transaction.atomic
def issue_receipt(sale):
    """A sale made through a signed-in buyer's click becomes their receipt, with the licence terms of
    this moment copied in (later edits to the licence or the track never change it). Idempotent."""
    click = sale.click
    if click is None or click.user_id is None:
        return None
    track = sale.track
    licence = track.licence or default_licence()
    receipt, _ = Receipt.objects.get_or_create(sale=sale, defaults={
        "buyer_id": click.user_id, "track": track, "track_title": track.title, "creator_name": track.artist,
        "platform_name": track.platform.name, "order_id": sale.order_id, "amount": sale.amount,
        "currency": sale.currency, "purchased_at": sale.created_at,
        "licence_terms": licence.terms() if licence else {},
    })
    return receipt


def report_claim(track, reporter, video_url="", note=""):
    """A buyer reports a content-ID claim on a YouTube-safe track: an open claim for moderation."""
    return ContentIdClaim.objects.create(track=track, reporter=reporter, video_url=video_url, note=note[:500])


@transaction.atomic
def decide_claim(claim, upheld):
    """Staff decide a claim; an upheld one takes the YouTube-safe badge from the track."""
    from marketplace.models import Track

    claim.status = ContentIdClaim.Status.UPHELD if upheld else ContentIdClaim.Status.DISMISSED
    claim.save(update_fields=["status"])
    if upheld:
        Track.objects.filter(pk=claim.track_id).update(youtube_claim_upheld=True)
        pagecache.invalidate()
    return claim

"""Rights reads: the licences a creator may pick, a buyer's receipts, and each track's rights as data."""

from marketplace.licensing.models import CREDIT_PARTS, Licence, Receipt


def licences():
    return Licence.objects.order_by("position", "code")


def receipts_for(buyer):
    return Receipt.objects.filter(buyer=buyer).order_by("-purchased_at", "-id")


def licence_json(licence, absolute_url):
    if licence is None:
        return None
    return {
        "code": licence.code, "name": licence.name, "uses": licence.uses,
        "attribution_required": licence.attribution_required, "url": absolute_url(licence.get_absolute_url()),
    }


def ai_credits_json(track):
    credits = track.ai_credits or {}
    return {
        **{part: credits.get(part, "none") for part in CREDIT_PARTS},
        "tool": track.tool.name if track.tool_id and track.tool else None,
        "model_version": track.ai_model_version, "human_contribution": track.human_contribution,
        "summary": track.ai_summary or None,
    }


def content_credentials_status(track):
    return (track.content_credentials or {}).get("status", "absent")

"""Content credentials: read the C2PA manifest of an uploaded cover or preview with c2pa-python.

The summary stored on the track is {"status": present/valid/invalid/absent, "signer", "generator",
"cover", "audio"}. Reading never changes the file: the preview is stored byte for byte as uploaded.
"""

import io
import json
import logging

log = logging.getLogger(__name__)
RANK = {"invalid": 3, "valid": 2, "present": 1, "absent": 0}


def read_manifest(data, mime=None):
    """{"status", "signer", "generator"} for one file's bytes."""
    import c2pa

    try:
        reader = c2pa.Reader(mime or None, io.BytesIO(data))
        report = json.loads(reader.json())
    except c2pa.C2paError.ManifestNotFound:
        return {"status": "absent"}
    except c2pa.C2paError as exc:  # an unsupported format or unreadable bytes: nothing we can vouch for
        log.info("no readable content credentials: %s", exc)
        return {"status": "absent"}
    manifest = report.get("manifests", {}).get(report.get("active_manifest"), {})
    state = str(report.get("validation_state", "")).lower()
    status = "valid" if state in ("valid", "trusted") else "invalid" if state == "invalid" else "present"
    signature = manifest.get("signature_info") or {}
    generators = manifest.get("claim_generator_info") or []
    generator = " ".join(filter(None, [generators[0].get("name"), generators[0].get("version")])) if generators \
        else manifest.get("claim_generator", "")
    return {"status": status, "signer": signature.get("issuer") or signature.get("common_name") or "",
            "generator": generator}


def summarise_uploads(cover=None, audio=None):
    """One summary for a track from its uploaded cover and/or audio (the worst status wins)."""
    parts = {}
    for name, upload in (("cover", cover), ("audio", audio)):
        if upload:
            upload.seek(0)
            parts[name] = read_manifest(upload.read(), getattr(upload, "content_type", None))
            upload.seek(0)
    if not parts:
        return None
    worst = max(parts.values(), key=lambda part: RANK[part["status"]])
    return {"status": worst["status"], "signer": worst.get("signer", ""), "generator": worst.get("generator", ""),
            **{name: part["status"] for name, part in parts.items()}}

"""The OpenAPI document's finishing pass (a drf-spectacular postprocessing hook).

What every operation shares is added here once rather than on each view: the `Idempotency-Key`
header and its 409 on every POST, the 304 of conditional reads, the 413 of a body over the bound and
the 414 of a request line over the web server's, the platform names the store knows
as an enum, and an example request and response for every operation that has none written by hand
(built from the schema itself, so an example always matches what it illustrates).
"""

import copy
import logging

from aimusicstore import params
from marketplace.discovery.filters import DURATIONS

logger = logging.getLogger(__name__)

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Send the same key when you retry: the first answer is replayed (with "
                   "`Idempotent-Replayed: true`) instead of doing the POST again; the same key with another "
                   "body is a 409. Kept 24 hours per API key (or address, without one) and endpoint.",
    "example": "upload-2026-12-01-neon-rush",
}
CONFLICT = {"description": "This Idempotency-Key was used for a different request, or its first request is "
                           "still running (`idempotency_key_reused`, `idempotency_in_progress`)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
# Refusals before the API reads the request: a body over MAX_JSON_BODY_BYTES (aimusicstore.bounds, the error
# shape), a request line over the web server's limit (gunicorn's 4,094 bytes, nginx's 8 KB: their own page).
TOO_LARGE = {"description": "The request body is over the API's bound (`request_too_large`, naming `body`)",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
URI_TOO_LONG = {"description": "The request line (path and query) is over the web server's limit: the web "
                               "server answers, with a page of its own, before the API sees the request"}
NOT_MODIFIED = {"description": "Unchanged since the `ETag` you sent in `If-None-Match` (or the `Last-Modified` "
                               "in `If-Modified-Since`): no body, and not counted against your read limit"}
CONDITIONAL_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "Send it back in `If-None-Match` for a 304"},
}
FORMAT_EXAMPLES = {
    "date-time": "2026-12-01T12:00:00Z", "date": "2026-12-01", "uri": "https://aimusicstore.example/tracks/1/",
    "email": "agent@example.com", "uuid": "3f1c2a9e-6b7d-4e2f-9a51-0c8d7e6f5a4b", "decimal": "1.99",
    "password": "correct-horse-battery", "ipv4": "203.0.113.7",
}
NAME_EXAMPLES = {
    "title": "Neon Rush", "artist": "Nova Drift", "name": "TasteBot", "email": "agent@example.com",
    "password": "correct-horse-battery", "price": "1.99", "amount": "1.99", "currency": "USD",
    "platform": "Suno AI", "order_id": "order-1001", "message": "Some fields are invalid: vote.",
    "description": "Finds fresh ambient tracks and votes on the best.", "handle": "nova-drift",
    "audio_url": "https://cdn1.suno.ai/neon-rush.mp3", "purchase_url": "https://suno.com/song/neon-rush",
    "cover_url": "https://aimusicstore.example/media/covers/neon-rush.png", "api_key": "ams_Qk3vT9xLp2aZ8mWc",
    "prefix": "ams_Qk3vT9", "code": "invalid", "reason": "spam", "text": "Great groove, clean mix.",
    "note": "Same audio as track 12.", "request_id": "3b8f0c2d9e6a4f1b8c7d5e4f3a2b1c0d",
}


def postprocess(result, generator, request, public):
    """REST_FRAMEWORK's SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] entry."""
    schemas = result.get("components", {}).get("schemas", {})
    lists = store_lists()
    if lists is not None:
        apply_store_lists(result, *lists)
    _parameter_bounds(result)
    _blank_or(result)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            operation["responses"].setdefault("414", copy.deepcopy(URI_TOO_LONG))
            if "requestBody" in operation:
                operation["responses"].setdefault("413", copy.deepcopy(TOO_LARGE))
            if method == "post":
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "Idempotency-Key" for p in parameters):
                    parameters.append(copy.deepcopy(IDEMPOTENCY_PARAMETER))
                operation["responses"].setdefault("409", copy.deepcopy(CONFLICT))
            if method == "get" and "200" in operation["responses"]:
                operation["responses"]["200"].setdefault("headers", {}).update(copy.deepcopy(CONDITIONAL_HEADERS))
                operation["responses"].setdefault("304", copy.deepcopy(NOT_MODIFIED))
            _examples(operation, schemas)
    return result


BLANK = {"type": "string", "maxLength": 0}


def _blank_or(node):
    """drf-spectacular offers a blank string beside a constrained one (allow_blank) as `oneOf`, but "" often meets
    the constraint too (a pattern that admits it, no minLength), and then `oneOf`, exactly one, refuses "": say
    `anyOf`."""
    if isinstance(node, dict):
        if BLANK in node.get("oneOf", []):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _blank_or(value)
    elif isinstance(node, list):
        for value in node:
            _blank_or(value)


# Query parameters the views read themselves, as aimusicstore.params enforces them (filters get theirs from
# their own form fields, params.ApiFilterExtension), and `duration`, a choice filter the generator types
# from the model's integer field of the same name.
PARAMETER_SCHEMAS = {
    **params.QUERY,
    "duration": {"type": "string", "enum": [name for name, _ in DURATIONS]},
}


def _parameter_bounds(result):
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter.get("name") in PARAMETER_SCHEMAS:
                    parameter["schema"] = copy.deepcopy(PARAMETER_SCHEMAS[parameter["name"]])


def store_lists():
    """(platforms as (name, slug) rows, licence codes): the store's own lists, or None without a database."""
    try:
        from django.db import transaction

        from marketplace.licensing.models import Licence
        from marketplace.models import Platform

        with transaction.atomic():  # a savepoint: a failure here must not poison the caller's transaction
            platforms = list(Platform.objects.order_by("name").values_list("name", "slug"))
            licences = list(Licence.objects.order_by("code").values_list("code", flat=True))
    except Exception as error:  # no database while generating offline: leave them free text
        logger.info("schema: platform and licence lists unavailable (%s), left as free text", error)
        return None
    return platforms, licences


def apply_store_lists(result, platforms, licences):
    """The platforms a track may name on upload and in the `platform` filter (by name or slug), and the
    licence codes an upload or edit may name (services.licence_by_code), as enums."""
    schemas = result.get("components", {}).get("schemas", {})
    values = [name for name, _ in platforms] + [slug for _, slug in platforms if slug not in {n for n, _ in platforms}]
    for field_name, enum in (("platform", values), ("licence", list(licences))):
        for name in ("TrackInputRequest", "PatchedTrackInputRequest"):
            field = schemas.get(name, {}).get("properties", {}).get(field_name)
            if field is not None and enum:
                field["enum"] = enum
                for constraint in ("maxLength", "pattern", "minLength"):
                    field.pop(constraint, None)
    if not values:
        return
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "platform" and parameter.get("in") == "query":
                    target = parameter["schema"].get("items", parameter["schema"])
                    target["type"] = "string"
                    target["enum"] = values
                    target.pop("minLength", None)


def _examples(operation, schemas):
    request = operation.get("requestBody", {}).get("content", {})
    for media in request.values():
        if "example" not in media and "examples" not in media and "schema" in media:
            media["example"] = example_of(media["schema"], schemas, request_side=True)
    for status, response in operation.get("responses", {}).items():
        for media in response.get("content", {}).values():
            if "example" not in media and "examples" not in media and "schema" in media:
                media["example"] = example_of(media["schema"], schemas, status=status)


def example_of(schema, schemas, request_side=False, status="200", name="", depth=0):
    """A value that the schema accepts: its own example, else a plausible one for the field."""
    if "$ref" in schema:
        return example_of(schemas.get(schema["$ref"].rsplit("/", 1)[-1], {}), schemas, request_side, status, name,
                          depth)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            parts = [example_of(s, schemas, request_side, status, name, depth) for s in schema[combined]]
            if combined == "allOf" and all(isinstance(p, dict) for p in parts):
                merged = {}
                for part in parts:
                    merged.update(part)
                return merged
            return parts[0]
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        return values[0] if values else None
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        out = {}
        for key, sub in schema.get("properties", {}).items():
            if request_side and sub.get("readOnly") or not request_side and sub.get("writeOnly"):
                continue
            out[key] = example_of(sub, schemas, request_side, status, key, depth + 1)
        if name == "fields" and not out:
            return {"vote": ["\"2\" is not a valid choice."]} if status == "400" else {}
        return out
    if kind == "array":
        item = example_of(schema.get("items", {}), schemas, request_side, status, name, depth + 1)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return _number(schema, 1)
    if kind == "number":
        return _number(schema, 1.5)
    if kind == "boolean":
        return True
    if kind == "string":
        value = NAME_EXAMPLES.get(name) or FORMAT_EXAMPLES.get(schema.get("format", "")) or name.replace("_", " ") \
            or "text"
        if "pattern" in schema:
            value = schema.get("example", value)
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        value = value.ljust(low, "x")
        return value[:high] if high else value
    return None


def _number(schema, fallback):
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and (high is None or low <= high):
        return max(low, fallback) if high is None else min(max(low, fallback), high)
    if high is not None:
        return min(high, fallback)
    return fallback

"""Upload rules shared by the studio forms and the API serializers.

Each validator is a plain function that raises django's ValidationError with a message a
creator can act on; forms and DRF serializers both turn that into a field error. Files are
checked by decoding them (Pillow, mutagen), never by their names.
"""

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import mutagen
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, UnidentifiedImageError

from marketplace.catalogue.audio_length import mp3_frame_seconds
from marketplace.purchases import affiliate

MIN_PRICE, MAX_PRICE = Decimal("0.50"), Decimal("999.99")
MIN_BPM, MAX_BPM = 20, 300

COVER_MAX_BYTES = 10 * 1024 * 1024
COVER_MAX_SIDE = 6000
COVER_FORMATS = {"JPEG", "PNG", "WEBP"}
COVER_STORED_SIDE = 1200  # big enough for the detail page on a retina screen
# Decoding costs memory and CPU per pixel (a 6000×6000 PNG: 1.1 s and 420 MB), so the pixel count is
# capped before anything is decoded: plenty for a 1200 px cover or a 256 px avatar.
COVER_MAX_PIXELS = 3000 * 3000
AVATAR_MAX_PIXELS = 2000 * 2000

PREVIEW_MAX_BYTES = 20 * 1024 * 1024
PREVIEW_MIN_SECONDS, PREVIEW_MAX_SECONDS = 5, 120
PREVIEW_CUT_SECONDS = 30  # uploads longer than this are cut to a preview by a Celery task
PREVIEW_FORMATS = {  # mutagen class name -> file extension we store
    "MP3": "mp3", "EasyMP3": "mp3", "OggVorbis": "ogg", "OggOpus": "ogg", "OggFLAC": "ogg",
    "WAVE": "wav", "FLAC": "flac",
}

AVATAR_SIDE = 256


def validate_https_url(value):
    """An absolute https:// URL with a host."""
    parts = urlsplit(value or "")
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError("Enter a full https:// address, e.g. https://suno.com/song/123.", code="https")


def validate_purchase_url(value, platform):
    """The purchase URL is https and on one of the chosen platform's domains ('Other' has none)."""
    validate_https_url(value)
    host = urlsplit(value).hostname
    if platform is not None and platform.domains and not affiliate.host_allowed(host, platform.domains):
        raise ValidationError(
            f"This link is not on {platform.name}: use an address on {', '.join(platform.domains)}, "
            "or choose the platform it is sold on.",
            code="platform_domain",
        )


def validate_price(value):
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError("Enter a price such as 1.99.", code="price") from None
    if not price.is_finite() or not (MIN_PRICE <= price <= MAX_PRICE):
        raise ValidationError(f"Price must be between ${MIN_PRICE} and ${MAX_PRICE}.", code="price_range")
    if price != price.quantize(Decimal("0.01")):
        raise ValidationError("Use at most two decimals (cents).", code="price_cents")


def validate_bpm(value):
    if value is None or value == "":
        return
    if not (MIN_BPM <= int(value) <= MAX_BPM):
        raise ValidationError(f"BPM must be between {MIN_BPM} and {MAX_BPM}.", code="bpm_range")


# --- Cover art ---------------------------------------------------------------

def _read_all(upload):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def validate_cover(upload, max_pixels=COVER_MAX_PIXELS, what="Cover art"):
    """A JPEG, PNG or WebP that Pillow fully decodes, at most 10 MB, 6000 px a side and `max_pixels`."""
    if upload.size > COVER_MAX_BYTES:
        raise ValidationError("Cover art must be at most 10 MB.", code="cover_size")
    data = _read_all(upload)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in COVER_FORMATS:
                raise ValidationError("Cover art must be a JPEG, PNG or WebP image.", code="cover_format")
            if width > COVER_MAX_SIDE or height > COVER_MAX_SIDE:
                raise ValidationError(
                    f"Cover art is {width}×{height} px; at most {COVER_MAX_SIDE} px a side.", code="cover_dimensions"
                )
            if width * height > max_pixels:
                megapixels = max_pixels / 1_000_000
                raise ValidationError(
                    f"{what} is {width}×{height} px; at most {megapixels:g} megapixels "
                    f"(e.g. {int(max_pixels ** 0.5)}×{int(max_pixels ** 0.5)}).", code="cover_dimensions"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() misses truncated pixel data; a full decode does not
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(f"Cover art is far too large; at most {COVER_MAX_SIDE} px a side.",
                              code="cover_dimensions") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not a readable JPEG, PNG or WebP image (it may be damaged or truncated).",
            code="cover_unreadable",
        ) from None


def reencode_image(upload, max_side, name_stem="cover"):
    """Decode and re-encode an already validated image: resized, EXIF and other metadata dropped."""
    with Image.open(io.BytesIO(_read_all(upload))) as image:
        image = image.convert("RGB")
        image.info.clear()  # Pillow writes a JPEG comment, ICC profile or EXIF back from info: drop them all
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=86, optimize=True, progressive=True)  # no exif= argument: none kept
    return SimpleUploadedFile(f"{name_stem}.jpg", out.getvalue(), content_type="image/jpeg")


# --- Audio preview -------------------------------------------------------------

@dataclass
class AudioInfo:
    extension: str
    duration: float


def inspect_preview(upload):
    """Decode the audio header with mutagen; return its type and length or raise ValidationError."""
    if upload.size > PREVIEW_MAX_BYTES:
        raise ValidationError("The preview must be at most 20 MB.", code="preview_size")
    data = _read_all(upload)
    try:
        audio = mutagen.File(io.BytesIO(data))
    except mutagen.MutagenError:
        audio = None
    kind = type(audio).__name__ if audio is not None else None
    if kind not in PREVIEW_FORMATS or not getattr(audio.info, "length", 0):
        raise ValidationError(
            "This file is not a readable MP3, OGG, WAV or FLAC audio file.", code="preview_unreadable"
        )
    length = float(audio.info.length)
    if PREVIEW_FORMATS[kind] == "mp3":
        # The header's frame count may lie (audio_length.py): the frames themselves decide.
        length = max(length, mp3_frame_seconds(data, PREVIEW_MAX_SECONDS + 1))
    if length < PREVIEW_MIN_SECONDS:
        raise ValidationError(f"The preview is {length:.1f} s long; at least {PREVIEW_MIN_SECONDS} s please.",
                              code="preview_too_short")
    if length > PREVIEW_MAX_SECONDS:
        raise ValidationError(
            f"The preview is {length:.0f} s long; upload at most {PREVIEW_MAX_SECONDS} s "
            f"(anything over {PREVIEW_CUT_SECONDS} s is cut to a {PREVIEW_CUT_SECONDS}-second preview).",
            code="preview_too_long",
        )
    return AudioInfo(extension=PREVIEW_FORMATS[kind], duration=length)


def validate_preview(upload):
    inspect_preview(upload)


def validate_avatar(upload):
    """Avatars follow the cover art rules, with a smaller pixel budget."""
    validate_cover(upload, max_pixels=AVATAR_MAX_PIXELS, what="The avatar")

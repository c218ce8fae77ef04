"""Real media files for upload tests, made in memory: good ones and the bad ones creators send."""

import io

import numpy as np
import soundfile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width=800, height=800, fmt="JPEG", exif=False):
    image = Image.new("RGB", (width, height), (120, 60, 200))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "SecretCam"  # Make
        info[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
        image.save(out, fmt, exif=info)
    else:
        image.save(out, fmt)
    return out.getvalue()


def cover(name="cover.jpg", **kwargs):
    fmt = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[name.rsplit(".", 1)[-1]]
    return SimpleUploadedFile(name, image_bytes(fmt=fmt, **kwargs), content_type=f"image/{fmt.lower()}")


def truncated_jpeg():
    data = image_bytes(1200, 1200)
    return SimpleUploadedFile("cover.jpg", data[: len(data) // 2], content_type="image/jpeg")


def svg_named_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/></svg>'
    return SimpleUploadedFile("cover.png", svg, content_type="image/png")


def huge_image():
    """A real PNG 20,000 px wide (small on disk: one flat colour)."""
    return SimpleUploadedFile("cover.png", image_bytes(20_000, 60, fmt="PNG"), content_type="image/png")


def audio_bytes(seconds=10.0, fmt="WAV", rate=22050):
    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * 440 * t)
    out = io.BytesIO()
    subtype = {"OGG": "VORBIS", "MP3": "MPEG_LAYER_III"}.get(fmt)
    soundfile.write(out, wave, rate, format=fmt, subtype=subtype)
    return out.getvalue()


def preview(seconds=10.0, name="preview.wav"):
    fmt = {"wav": "WAV", "mp3": "MP3", "ogg": "OGG", "flac": "FLAC"}[name.rsplit(".", 1)[-1]]
    return SimpleUploadedFile(name, audio_bytes(seconds, fmt), content_type="audio/" + name.rsplit(".", 1)[-1])


def text_named_mp3():
    return SimpleUploadedFile("preview.mp3", b"This is not music, just a text file.\n" * 50, content_type="audio/mpeg")

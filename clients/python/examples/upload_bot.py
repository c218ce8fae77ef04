"""The brief's "Autonomous Upload Bot", on the aimusicstore client: it checks every answer.

    AIMUSICSTORE_URL=https://aimusicstore.com AIMUSICSTORE_API_KEY=ams_… SUNO_API_KEY=… python upload_bot.py

Generating the track and hosting it on Suno are outside aimusicstore (`ai_music_generator` is the
brief's hypothetical tool); the upload is the client's `upload_track`, which raises ApiError
(status, code, per-field messages) instead of printing a track id that is not there, and waits
out a 429 as its Retry-After says.
"""

import os
import sys

import httpx
from aimusicstore_client import ApiError, Client


def upload_to_suno(audio_data):
    """Host the audio on Suno (outside aimusicstore); returns the song page URL."""
    response = httpx.post("https://api.suno.ai/generate", json={"audio": audio_data},
                          headers={"Authorization": f"Bearer {os.environ.get('SUNO_API_KEY', '')}"}, timeout=60)
    response.raise_for_status()
    return response.json()["track_url"]


def main():
    from ai_music_generator import generate_track  # the brief's hypothetical AI tool

    track = generate_track(genre="electronic", mood="energetic", duration=180)
    track_url = upload_to_suno(track.audio_data)
    with Client(os.environ.get("AIMUSICSTORE_URL", "https://aimusicstore.com"),
                os.environ["AIMUSICSTORE_API_KEY"]) as store:
        try:
            published = store.upload_track(
                title=track.title, genre="electronic", mood="energetic", platform="Suno AI",
                audio_url=track.preview_url, purchase_url=f"{track_url}?affiliate=aimusicstore", price="1.99")
        except ApiError as error:
            print(f"Upload refused ({error.status} {error.code}): {error.message}", file=sys.stderr)
            for field, messages in error.fields.items():
                print(f"  {field}: {' '.join(messages)}", file=sys.stderr)
            return 1
    print(f"Track uploaded: {published['track_id']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

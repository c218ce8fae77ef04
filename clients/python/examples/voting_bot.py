"""The brief's "Autonomous Voting Bot", on the aimusicstore client: it checks every answer.

    AIMUSICSTORE_URL=https://aimusicstore.com AIMUSICSTORE_API_KEY=ams_… python voting_bot.py

`discover()` offers only tracks this key may vote on; a vote the rules refuse raises ApiError with
its code (self_vote, email_unverified, …) and is reported, not counted as done; a 429 is waited out
as Retry-After says (the client does it), and one still refused after that stops the run.
"""

import os
import sys

from aimusicstore_client import ApiError, Client, RateLimited


def wanted(track):
    return track["genre"] == "electronic" and track["mood"] == "energetic"


def main():
    with Client(os.environ.get("AIMUSICSTORE_URL", "https://aimusicstore.com"),
                os.environ["AIMUSICSTORE_API_KEY"], max_wait=65) as store:
        for track in store.discover():
            if not wanted(track):
                continue
            try:
                result = store.vote(track["id"], 1)
            except RateLimited as limited:
                print(f"Rate limited: try again in {limited.retry_after:g} s", file=sys.stderr)
                return 1
            except ApiError as error:
                print(f"Not voted on {track['title']} ({error.code}): {error.message}", file=sys.stderr)
                continue
            print(f"Voted on {track['title']} (score now {result['score']:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

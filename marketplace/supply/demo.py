"""Demo data for trust and safety (DEBUG only, from seed_demo): the demo staff member's TOTP, so the
admin can be reached with a known code, and one upload held for review on the demo creator's dashboard."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import User
from marketplace.models import Track

# Add it to any authenticator app (or compute the code with tests/staff.py's totp_code) to log in as demo staff.
DEMO_TOTP_SECRET = "DEMOSTAFFTOTPDEMOSTAFFTOTPDEMO22"


def seed_supply(admin_email, creator_email):
    staff = User.objects.filter(email=admin_email).first()
    if staff and not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, DEMO_TOTP_SECRET)
    creator = User.objects.filter(email=creator_email).first()
    model = Track.objects.filter(creator=creator).order_by("pk").first() if creator else None
    if model and not Track.objects.filter(creator=creator, status=Track.Status.PENDING).exists():
        Track.objects.create(  # the model track's preview and cover, under a shouted title
            creator=creator, title="FREE BEATS DOWNLOAD NOW", artist=model.artist, genre=model.genre,
            moods=model.moods, platform=model.platform, purchase_url=model.purchase_url, price=model.price,
            preview_audio=model.preview_audio.name, preview_url=model.preview_url,
            preview_duration=model.preview_duration, cover=model.cover.name, cover_thumbnails=model.cover_thumbnails,
            status=Track.Status.PENDING, review_reason="the title is in capitals",
        )

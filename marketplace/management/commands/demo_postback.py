"""Print a ready, signed `curl` that reports a sale of a demo track, as a platform's postback would.

`make run` prints it at start: paste it into a shell and the demo creator's earnings page shows
the sale. Demo only: it refuses to run without DEBUG, and needs AFFILIATE_POSTBACK_SECRET.
"""

import json
import shlex

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from marketplace.models import PurchaseClick, Track
from marketplace.purchases import affiliate, services

DEMO_SESSION = "demo-postback"


class Command(BaseCommand):
    help = "Print a signed curl that posts an affiliate sale for a demo purchase click (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The store's address")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError("demo_postback is for the demo store (DEBUG) only.")
        if not settings.AFFILIATE_POSTBACK_SECRET:
            raise CommandError("Set AFFILIATE_POSTBACK_SECRET first: postbacks are refused without it.")
        click = PurchaseClick.objects.select_related("track").filter(session_key=DEMO_SESSION).first()
        if click is None:
            track = Track.objects.published().filter(buy_approved=True).order_by("id").first()
            if track is None:
                raise CommandError("No track can be bought yet: run seed_demo first.")
            click = services.record_purchase_click(track, session_key=DEMO_SESSION, user_agent="demo_postback")
        body = json.dumps({
            "click_id": str(click.click_id), "order_id": f"DEMO-{timezone.now():%Y%m%d%H%M%S}",
            "amount": str(click.track.price), "currency": "USD",
        })
        signature = affiliate.sign(body.encode())
        self.stdout.write(
            f"curl -H 'Content-Type: application/json' -H 'X-Signature: {signature}' "
            f"-d {shlex.quote(body)} {url.rstrip('/')}/api/v1/affiliate/postback"
        )

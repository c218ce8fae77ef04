"""`manage.py refresh_similar`: work out every similar list that is due now, not a batch a beat.

The beat task does a bounded batch every five minutes; after a bulk import (`make scale-data`, a
restore) this catches up in one go.
"""

from django.core.management.base import BaseCommand

from marketplace.discovery import services


class Command(BaseCommand):
    help = "Work out the similar list of every published track that has none or a stale one."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="Lists worked out between progress lines")

    def handle(self, *args, batch=2000, **options):
        total = 0
        while written := services.refresh_similar_lists(limit=batch, seconds=float("inf")):
            total += written
            self.stdout.write(f"  {total:,} similar lists worked out", ending="\r")
            self.stdout.flush()
        self.stdout.write(f"Similar lists worked out: {total:,}.")

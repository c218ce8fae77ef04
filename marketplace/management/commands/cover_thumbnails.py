"""`manage.py cover_thumbnails`: make the srcset thumbnails of covers saved before they existed.

New covers get theirs when saved (marketplace/catalogue/covers.py); `seed_demo --if-empty` runs this
on a catalogue it finds already there. `--redo` remakes every cover's (after a change of WIDTHS).
"""

from django.core.management.base import BaseCommand

from marketplace.catalogue import covers


class Command(BaseCommand):
    help = "Make WebP thumbnails for every track cover that has none (--redo: for all covers)."

    def add_arguments(self, parser):
        parser.add_argument("--redo", action="store_true", help="Remake the thumbnails of every cover")

    def handle(self, *args, redo=False, **options):
        made = covers.backfill(redo=redo)
        self.stdout.write(f"Cover thumbnails made for {made} track{'s' if made != 1 else ''}.")

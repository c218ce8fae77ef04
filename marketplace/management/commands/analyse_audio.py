"""Measure track previews again: after an analyser upgrade (`--all`), or the ones never measured."""

from django.core.management.base import BaseCommand
from django.db.models import Q

from marketplace.analysis import services
from marketplace.analysis.models import TrackAnalysis
from marketplace.management.commands.seed_demo import progress
from marketplace.models import Track


class Command(BaseCommand):
    help = "Analyse track previews (loudness, tempo, key, fingerprint, sound features) in this process."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="Every track, even those this analyser version already measured")
        parser.add_argument("--track", type=int, action="append", help="Only this track id (repeatable)")

    def handle(self, *args, all=False, track=None, **options):
        tracks = Track.objects.exclude(status=Track.Status.REMOVED).order_by("pk")
        if track:
            tracks = tracks.filter(pk__in=track)
        elif not all:
            current = TrackAnalysis.objects.filter(version=services.ANALYSER_VERSION).exclude(
                status=TrackAnalysis.Status.PENDING
            )
            tracks = tracks.filter(~Q(pk__in=current.values("track_id")))
        ids = list(tracks.values_list("pk", flat=True))
        counts = {}
        for done, pk in enumerate(ids, start=1):
            analysis = services.analyse_track(pk, force=bool(all or track))
            status = analysis.status if analysis else "gone"
            counts[status] = counts.get(status, 0) + 1
            progress(self.stdout, "analysis", done, len(ids))
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"Analysed {len(ids)} tracks: {summary}."))

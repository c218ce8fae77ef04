from django.core.management.base import BaseCommand

from voting import simulation


class Command(BaseCommand):
    help = "Simulate honest voters and an attacking ring through the real vote path; print ranking integrity."

    def add_arguments(self, parser):
        parser.add_argument("--honest", type=int, default=2000, help="honest voters")
        parser.add_argument("--ring-size", type=int, default=100, help="accounts in the attacking ring")
        parser.add_argument("--ring-age-days", type=float, default=0.0, help="age of the ring's accounts")
        parser.add_argument("--ring-targets", type=int, default=5, help="poor tracks the ring upvotes")
        parser.add_argument("--tracks", type=int, default=100)
        parser.add_argument("--votes-per-voter", type=int, default=12, help="tracks each honest voter rates")
        parser.add_argument("--noise", type=float, default=1.0, help="sd of perception noise (quality sd is 1)")
        parser.add_argument("--verified-share", type=float, default=0.6, help="honest voters with a verified email")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--keep", action="store_true", help="keep the generated data (default: roll back)")
        parser.add_argument("--scenarios", choices=["small", "large", "all"],
                            help="run the adversary scenarios (voting/adversaries.py) on a small or large store, "
                                 "or both, and print one table")

    def handle(self, *args, **opts):
        if opts["scenarios"]:
            from voting import adversaries

            stores = ("small", "large") if opts["scenarios"] == "all" else (opts["scenarios"],)
            self.stdout.write(adversaries.HEADER)
            adversaries.run(stores=stores, seed=opts["seed"], out=self.stdout.write)
            return
        report = simulation.run(
            honest=opts["honest"], ring_size=opts["ring_size"], ring_age_days=opts["ring_age_days"],
            ring_targets=opts["ring_targets"], tracks=opts["tracks"], votes_per_voter=opts["votes_per_voter"],
            noise=opts["noise"], verified_share=opts["verified_share"], seed=opts["seed"], keep=opts["keep"],
        )
        for line in report.lines():
            self.stdout.write(line)

"""Adversary scenarios for `manage.py simulate_voting --scenarios`: can a ring buy a ranking?

One honest store is built per size (tracks with a hidden quality q ~ N(0, 1); honest voters who
listen to a preview, perceive q + N(0, 1) and vote up above 0.3, down below −0.3; their votes spread
over the last 30 days), every vote through `cast_vote`. Then each scenario runs inside a savepoint
that is rolled back afterwards, so every attacker meets the same store:

- burst N: N fresh, verified accounts that sign up within a few hours from one address, each hear
  ≥ 10 s of every target's preview and upvote the targets within two hours;
- sleepers: accounts 30–90 days old, verified, that first cast camouflage votes copying the crowd
  (upvotes of the current top tracks, 3–10 days ago), then upvote the targets within two hours;
- agents: aged owners with several agents each, the agents fetching each target's preview through
  the API and upvoting it;
- drip: fresh verified accounts created over 7 days, each upvoting the targets at random moments of
  the week (a handful of votes a day: under any hourly threshold);
- mix: a quarter of the ring of each kind.

After the attack the periodic jobs run as beat runs them (trust walk, detectors, recompute), and
the report gives: ring targets in the trending top 10 and weekly top 50 (targets are chosen among
poor tracks ranked below 50 weekly on the honest store), Kendall tau of the all-time ranking
against hidden quality, and the share of honest votes flagged by a detector.

Timestamps: `cast_vote` stamps votes with the current time; the simulation then moves each vote
(and its listening proof) to its scenario time before the jobs run. Weights are those at cast time.
"""

import random
import time
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Agent, User
from marketplace.models import Platform, Track
from voting import detection
from voting.models import Listen, SignupFingerprint, TrackScore, Vote
from voting.ratelimit import RateLimited
from voting.services import VoteRefused, cast_vote, recompute_scores
from voting.simulation import kendall_tau
from voting.trust.sybilrank import refresh_trust

STORES = {
    # the demo catalogue's size (64 tracks), with enough voters that 50 accounts are 5 % of them
    "small": {"tracks": 64, "honest": 1000, "votes_per_voter": 12},
    "large": {"tracks": 300, "honest": 2000, "votes_per_voter": 24},
}
KINDS = ("burst", "sleepers", "agents", "drip", "mix")
TARGETS = 5


@dataclass
class Row:
    store: str
    scenario: str
    ring: int
    ring_share: float
    in_trending10: int
    in_weekly50: int
    tau: float
    honest_flagged: float
    flagged: dict
    seconds: float

    def line(self):
        return (f"{self.store:<6} {self.scenario:<14} {self.ring:>4} {self.ring_share:>6.1%} "
                f"{self.in_trending10:>9} {self.in_weekly50:>9} {self.tau:>6.3f} {self.honest_flagged:>8.2%} "
                f"{self.seconds:>6.1f}  {self.flagged}")


HEADER = (f"{'store':<6} {'scenario':<14} {'ring':>4} {'share':>6} {'trend10':>9} {'weekly50':>9} {'tau':>6} "
          f"{'honest⚑':>8} {'sec':>6}  flagged by detector")


def scenarios_for(store):
    if store == "small":
        return [("burst", 5), ("burst", 20), ("burst", 50), ("sleepers", 50), ("agents", 50), ("drip", 50),
                ("mix", 50)]
    return [("burst", 20), ("burst", 100), ("sleepers", 100), ("agents", 100), ("drip", 100), ("mix", 100)]


class _Rollback(Exception):
    pass


def run(stores=("small", "large"), seed=11, out=None):
    """Build each store, run its scenarios, roll everything back; return the rows."""
    rows = []
    for store in stores:
        try:
            with transaction.atomic():
                world = _Store(store, random.Random(seed), **STORES[store])
                world.build()
                baseline = world.measure("baseline", 0, set())
                rows.append(baseline)
                if out:
                    out(baseline.line())
                for kind, size in scenarios_for(store):
                    started = time.perf_counter()
                    try:
                        with transaction.atomic():
                            ring_ids = world.attack(kind, size)
                            row = world.measure(f"{kind} {size}", len(ring_ids), ring_ids)
                            row.seconds = time.perf_counter() - started
                            raise _Rollback
                    except _Rollback:
                        pass
                    rows.append(row)
                    if out:
                        out(row.line())
                raise _Rollback
        except _Rollback:
            pass
    return rows


class _Store:
    def __init__(self, name, rng, tracks, honest, votes_per_voter):
        self.name, self.rng = name, rng
        self.n_tracks, self.n_honest, self.votes_per_voter = tracks, honest, votes_per_voter
        self.now = timezone.now()
        self.serial = 0

    # --- people and placement of votes in time ------------------------------------------------

    def users(self, prefix, count, joined, verified=True):
        self.serial += 1
        tag = f"{prefix}{self.serial}x{int(time.time() * 1000) % 10**8}"
        made = User.objects.bulk_create([
            User(email=f"{tag}-{i}@simulation.test", handle=f"{tag}_{i}", password="!", display_name="",
                 date_joined=joined(i))
            for i in range(count)
        ])
        if verified is not False:
            EmailAddress.objects.bulk_create([
                EmailAddress(user=u, email=u.email, verified=True, primary=True)
                for u in made if verified is True or self.rng.random() < verified
            ])
        return made

    def cast(self, plan, listen_source="player"):
        """Cast (voter, track, value, at) through cast_vote after a listening proof; move each vote to `at`."""
        Listen.objects.bulk_create(
            [Listen(user=v, track=t, seconds=30, source=listen_source, created_at=self.now)
             for v, t, _, _ in plan], ignore_conflicts=True)
        cast, refused = [], 0
        for voter, track, value, at in plan:
            try:
                cast_vote(voter, track, value)
                cast.append((voter.pk, track.pk, at))
            except (RateLimited, VoteRefused):
                refused += 1
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE voting_vote v SET created_at = m.at FROM (SELECT unnest(%s::bigint[]) AS voter, "
                "unnest(%s::bigint[]) AS track, unnest(%s::timestamptz[]) AS at) m "
                "WHERE v.voter_id = m.voter AND v.track_id = m.track",
                [[c[0] for c in cast], [c[1] for c in cast], [c[2] for c in cast]])
            cursor.execute(
                "UPDATE voting_listen l SET created_at = m.at - interval '1 minute' FROM (SELECT "
                "unnest(%s::bigint[]) AS voter, unnest(%s::bigint[]) AS track, unnest(%s::timestamptz[]) AS at) m "
                "WHERE l.user_id = m.voter AND l.track_id = m.track",
                [[c[0] for c in cast], [c[1] for c in cast], [c[2] for c in cast]])
        return refused

    # --- the honest store ---------------------------------------------------------------------

    def build(self):
        rng, now = self.rng, self.now
        platform, _ = Platform.objects.get_or_create(slug="simulation", defaults={"name": "Simulation"})
        creators = self.users("simc", 20, lambda i: now - timedelta(days=400))
        User.objects.filter(pk__in=[c.pk for c in creators[:5]]).update(tier=User.Tier.VERIFIED)  # the seeds
        self.quality = [rng.gauss(0, 1) for _ in range(self.n_tracks)]
        self.tracks = Track.objects.bulk_create([
            Track(creator=creators[i % len(creators)], title=f"Simulated track {i}", artist="Simulation",
                  platform=platform, genre="electronic", preview_url="https://cdn.example.test/sim.mp3",
                  purchase_url=f"https://example.test/sim/{i}", created_at=now - timedelta(days=40))
            for i in range(self.n_tracks)
        ])
        ages = [rng.uniform(1, 730) for _ in range(self.n_honest)]
        self.honest = self.users("simh", self.n_honest, lambda i: now - timedelta(days=ages[i]), verified=0.6)
        plan = []
        for voter, age in zip(self.honest, ages, strict=True):
            # each voter comes by in one session, some time in the last 30 days (after joining)
            session = now - timedelta(days=rng.uniform(0, min(30.0, age)))
            for i in rng.sample(range(self.n_tracks), min(self.votes_per_voter, self.n_tracks)):
                perceived = self.quality[i] + rng.gauss(0, 1)
                if abs(perceived) > 0.3:
                    plan.append((voter, self.tracks[i], 1 if perceived > 0 else -1,
                                 session + timedelta(minutes=rng.uniform(0, 40))))
        rng.shuffle(plan)
        self.cast(plan)
        self.honest_ids = {u.pk for u in self.honest}
        self.run_jobs()
        weekly = self.ranking("score_weekly")
        outside = [pk for pk in weekly[50:]] if len(weekly) > 60 else weekly[-(len(weekly) // 5):]
        poor = set(sorted(self.by_id, key=lambda pk: self.by_id[pk])[: self.n_tracks // 2])
        candidates = [pk for pk in outside if pk in poor] or outside
        self.targets = [t for t in self.tracks if t.pk in set(rng.sample(candidates, min(TARGETS, len(candidates))))]

    @property
    def by_id(self):
        return {t.pk: q for t, q in zip(self.tracks, self.quality, strict=True)}

    def run_jobs(self):
        """What beat runs: trust walk, detectors, then a full recompute of the simulated tracks."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE voting_vote, accounts_user, voting_listen")
        refresh_trust()
        flagged = detection.detect_abuse()
        recompute_scores(track_ids=[t.pk for t in self.tracks])
        return flagged

    def ranking(self, field):
        return list(
            TrackScore.objects.filter(track_id__in=[t.pk for t in self.tracks])
            .order_by(f"-{field}", "-upvotes", "-track_id").values_list("track_id", flat=True)
        )

    # --- attacks ------------------------------------------------------------------------------

    def attack(self, kind, size):
        if kind == "mix":
            quarter = max(1, size // 4)
            ids = set()
            for part in ("burst", "sleepers", "agents", "drip"):
                ids |= self.attack(part, quarter)
            return ids
        return getattr(self, f"_{kind}")(size)

    def _in(self, hours_from, hours_to):
        return self.now - timedelta(hours=self.rng.uniform(hours_to, hours_from))

    def _burst(self, size):
        ring = self.users("simb", size, lambda i: self.now - timedelta(hours=self.rng.uniform(2.5, 6)))
        SignupFingerprint.objects.bulk_create(
            [SignupFingerprint(user=u, ip_hash="one-address", ua_hash="one-browser") for u in ring])
        self.cast([(m, t, 1, self._in(2, 0.1)) for m in ring for t in self.targets])
        return {m.pk for m in ring}

    def _sleepers(self, size):
        ring = self.users("sims", size, lambda i: self.now - timedelta(days=self.rng.uniform(30, 90)))
        top = [t for t in self.tracks if t.pk in set(self.ranking("score")[:15])]
        camouflage = [(m, t, 1, self.now - timedelta(days=self.rng.uniform(3, 10)))
                      for m in ring for t in self.rng.sample(top, 5)]
        self.cast(camouflage + [(m, t, 1, self._in(2, 0.1)) for m in ring for t in self.targets])
        return {m.pk for m in ring}

    def _agents(self, size):
        owners = self.users("simo", max(1, size // 5), lambda i: self.now - timedelta(days=self.rng.uniform(30, 90)))
        agents = self.users("sima", size - len(owners), lambda i: self.now - timedelta(days=20), verified=False)
        Agent.objects.bulk_create([Agent(user=a, owner=owners[i % len(owners)], name=f"sim agent {a.pk}")
                                   for i, a in enumerate(agents)])
        self.cast([(a, t, 1, self._in(2, 0.1)) for a in agents for t in self.targets], listen_source="api")
        return {u.pk for u in owners + agents}

    def _drip(self, size):
        joined = [self.now - timedelta(days=self.rng.uniform(0.2, 6.9)) for _ in range(size)]
        ring = self.users("simd", size, lambda i: joined[i])
        plan = []
        for member, at in zip(ring, joined, strict=True):
            span = (self.now - at).total_seconds()
            for t in self.targets:
                plan.append((member, t, 1, at + timedelta(seconds=self.rng.uniform(0, span))))
        self.cast(plan)
        return {m.pk for m in ring}

    # --- measurement --------------------------------------------------------------------------

    def measure(self, scenario, ring_size, ring_ids):
        started = time.perf_counter()
        flagged = self.run_jobs()
        target_ids = {t.pk for t in self.targets} if ring_size else set()
        trending, weekly = self.ranking("trending_at_epoch"), self.ranking("score_weekly")
        scores = dict(TrackScore.objects.filter(track_id__in=list(self.by_id)).values_list("track_id", "score"))
        ids = list(self.by_id)
        tau = kendall_tau([scores.get(i, 0.0) for i in ids], [self.by_id[i] for i in ids])
        honest = Vote.objects.filter(voter_id__in=self.honest_ids)
        honest_total = honest.count() or 1
        honest_flagged = honest.exclude(status__in=[Vote.Status.COUNTED, Vote.Status.CLEARED]).count()
        return Row(self.name, scenario, ring_size, ring_size / (self.n_honest + ring_size),
                   len(target_ids & set(trending[:10])), len(target_ids & set(weekly[:50])), tau,
                   honest_flagged / honest_total, {k: v for k, v in flagged.items() if v},
                   time.perf_counter() - started)

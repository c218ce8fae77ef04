"""An integrity simulation of the voting system, run through the real vote path.

Honest voters perceive each track's hidden true quality with Gaussian noise and vote
up or down on a random sample of tracks; an attacking ring of young accounts upvotes
a few poor tracks. Every vote goes through `cast_vote` (weights, rate limits, family
rules), then the abuse detectors run exactly as the Celery task runs them. The report
gives Kendall's tau between the all-time ranking and true quality, and how many
ring-promoted tracks reach the trending top 10, before and after detection.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from marketplace.models import Platform, Track
from voting import detection
from voting.models import TrackScore
from voting.ratelimit import RateLimited
from voting.services import SCORE_FIELDS, VoteRefused, cast_vote, recompute_scores


@dataclass
class Report:
    honest: int
    ring_size: int
    tracks: int
    votes_cast: int = 0
    rate_limited: int = 0
    refused: int = 0
    seconds_voting: float = 0.0
    tau_before_detection: float = 0.0
    ring_in_top10_before_detection: int = 0
    flagged: dict = field(default_factory=dict)
    tau: float = 0.0
    ring_in_top10: int = 0
    ring_best_trending_rank: int = 0
    recompute_drift: float = 0.0

    def lines(self):
        return [
            f"population: {self.honest} honest voters, a ring of {self.ring_size} accounts, {self.tracks} tracks",
            f"votes cast through cast_vote: {self.votes_cast} in {self.seconds_voting:.1f} s "
            f"({self.rate_limited} refused by rate limits, {self.refused} by rules)",
            f"weights only:    Kendall tau {self.tau_before_detection:.3f}, "
            f"ring tracks in trending top 10: {self.ring_in_top10_before_detection}",
            f"detectors flagged: {self.flagged}",
            f"after detection: Kendall tau {self.tau:.3f}, ring tracks in trending top 10: {self.ring_in_top10} "
            f"(best ring track ranks #{self.ring_best_trending_rank} in trending)",
            f"largest |incremental - recomputed| aggregate difference: {self.recompute_drift:.2e}",
        ]


def kendall_tau(x, y):
    """Kendall's tau-b of two equal-length sequences (O(n^2), fine for a few hundred items)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    concordant_minus_discordant = (dx * dy).sum() / 2
    ties_x = (dx != 0).sum() / 2
    ties_y = (dy != 0).sum() / 2
    return float(concordant_minus_discordant / np.sqrt(ties_x * ties_y))


class _Rollback(Exception):
    pass


def run(honest=2000, ring_size=100, ring_age_days=0.0, ring_targets=5, tracks=100, votes_per_voter=12,
        noise=1.0, verified_share=0.6, seed=7, keep=False):
    """Simulate; everything is rolled back afterwards unless keep=True. Returns a Report."""
    report = Report(honest=honest, ring_size=ring_size, tracks=tracks)
    try:
        with transaction.atomic():
            _simulate(report, random.Random(seed), honest, ring_size, ring_age_days, ring_targets, tracks,
                      votes_per_voter, noise, verified_share)
            if not keep:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _users(prefix, count, joined_at):
    run_id = f"{prefix}{int(time.time() * 1000) % 10**9}"
    users = [
        User(email=f"{run_id}-{i}@simulation.test", handle=f"{run_id}_{i}", password="!", display_name="",
             date_joined=joined_at(i))
        for i in range(count)
    ]
    return User.objects.bulk_create(users)


def _simulate(report, rng, honest, ring_size, ring_age_days, ring_targets, n_tracks, votes_per_voter, noise,
              verified_share):
    now = timezone.now()
    platform, _ = Platform.objects.get_or_create(slug="simulation", defaults={"name": "Simulation"})
    creators = _users("simc", 20, lambda i: now - timedelta(days=400))
    quality = [rng.gauss(0, 1) for _ in range(n_tracks)]
    tracks = Track.objects.bulk_create([
        Track(creator=creators[i % len(creators)], title=f"Simulated track {i}", artist="Simulation",
              platform=platform, genre="electronic", preview_url="https://cdn.example.test/sim.mp3",
              purchase_url=f"https://example.test/sim/{i}", created_at=now - timedelta(days=10))
        for i in range(n_tracks)
    ])
    voters = _users("simh", honest, lambda i: now - timedelta(days=rng.uniform(1, 730)))
    EmailAddress.objects.bulk_create([
        EmailAddress(user=u, email=u.email, verified=True, primary=True)
        for u in voters if rng.random() < verified_share
    ])
    ring = _users("simr", ring_size, lambda i: now - timedelta(days=ring_age_days, hours=rng.uniform(0, 6)))
    poor = sorted(range(n_tracks), key=lambda i: quality[i])[: n_tracks // 2]
    targets = set(rng.sample(poor, ring_targets))

    actions = []
    for voter in voters:
        for i in rng.sample(range(n_tracks), min(votes_per_voter, n_tracks)):
            perceived = quality[i] + rng.gauss(0, noise)
            if abs(perceived) > 0.3:
                actions.append((voter, tracks[i], 1 if perceived > 0 else -1))
    actions += [(member, tracks[i], 1) for member in ring for i in targets]
    rng.shuffle(actions)

    started = time.perf_counter()
    for voter, track, value in actions:
        try:
            cast_vote(voter, track, value)
            report.votes_cast += 1
        except RateLimited:
            report.rate_limited += 1
        except VoteRefused:
            report.refused += 1
    report.seconds_voting = time.perf_counter() - started

    ids = [t.pk for t in tracks]
    ring_ids = {tracks[i].pk for i in targets}
    report.tau_before_detection, report.ring_in_top10_before_detection, _ = _measure(ids, quality, ring_ids)
    incremental = {s.track_id: s for s in TrackScore.objects.filter(track_id__in=ids)}
    recompute_scores(track_ids=ids)
    report.recompute_drift = max(
        abs(getattr(s, f) - getattr(incremental[s.track_id], f))  # trending as shown, not at the epoch
        for s in TrackScore.objects.filter(track_id__in=ids) for f in [*SCORE_FIELDS[:-1], "trending"]
    )
    # Honest voters came by one session each over the last 30 days, not all in this instant (the lockstep
    # detector looks at votes cast within an hour of each other): move their votes to their sessions.
    sessions = {v.pk: now - timedelta(days=rng.uniform(0, 30)) for v in voters}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE voting_vote v SET created_at = least(now(), m.at + (random() * interval '40 minutes')) "
            "FROM (SELECT unnest(%s::bigint[]) AS voter, unnest(%s::timestamptz[]) AS at) m "
            "WHERE v.voter_id = m.voter", [list(sessions), list(sessions.values())])
    recompute_scores(track_ids=ids)
    # The population was bulk-loaded a moment ago: give the planner real statistics, as
    # autovacuum would in production, or the detectors' self-joins plan as nested loops.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE voting_vote, accounts_user")
    report.flagged = detection.detect_abuse()
    report.tau, report.ring_in_top10, report.ring_best_trending_rank = _measure(ids, quality, ring_ids)


def _measure(ids, quality, ring_ids):
    scores = dict(TrackScore.objects.filter(track_id__in=ids).values_list("track_id", "score"))
    tau = kendall_tau([scores.get(i, 0.0) for i in ids], quality)
    trending = list(
        TrackScore.objects.filter(track_id__in=ids).order_by("-trending_at_epoch", "-upvotes", "-track_id")
        .values_list("track_id", flat=True)
    )
    in_top10 = len(ring_ids & set(trending[:10]))
    best = min(trending.index(i) + 1 for i in ring_ids) if ring_ids else 0
    return tau, in_top10, best

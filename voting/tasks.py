"""Celery tasks of the voting app: thin, idempotent, safe to run twice."""

from celery import shared_task

from voting import detection, rankings, services, trending


@shared_task(acks_late=True)
def recompute_scores(track_ids=None, tool_ids=None):
    """Rewrite weighted scores from the vote log, then the cached rankings."""
    services.recompute_scores(track_ids=track_ids, tool_ids=tool_ids)
    rankings.refresh_rankings()


@shared_task(acks_late=True)
def refresh_rankings():
    """Rewrite the cached rankings from the score columns (cheap; runs often)."""
    rankings.refresh_rankings()


@shared_task(acks_late=True)
def rebase_trending():
    """Move the trending epoch forward when it is far behind (about every two months); a no-op otherwise."""
    return trending.rebase()


@shared_task(acks_late=True)
def detect_abuse():
    """Flag serial voting, rings and velocity spikes; recompute what they touched."""
    counts = detection.detect_abuse()
    if any(counts.values()):
        rankings.refresh_rankings()
    return counts


@shared_task(acks_late=True)
def reward_consensus():
    """Move reputations towards agreement with the later consensus; re-weigh and recompute."""
    changed = services.reward_consensus()
    if changed:
        rankings.refresh_rankings()
    return len(changed)


@shared_task(acks_late=True)
def refresh_trust():
    """Recompute earned trust (SybilRank-style walk from trusted seeds); re-weigh what it changes."""
    from voting.trust.sybilrank import refresh_trust as run

    stats = run()
    if stats.get("touched_tracks"):
        rankings.refresh_rankings()
    return stats

"""What each webhook event says, and `emit`, which queues it for the owner's subscribed webhooks.

The services where each rule lives call the functions at the bottom (`track_published(track)`,
`sale_recorded(sale)`, ...); each registers its emit with `transaction.on_commit`, so an event is
sent only for something that really happened, and builds its payload only when somebody listens.

Events go to the webhooks of the member they concern: a track's creator (published, hidden, votes,
charts, sales, reviews) or a payout's creator. An agent's tracks are the agent's own account's.

Votes are aggregated: the first vote on a track in a window of WEBHOOK_VOTE_WINDOW_SECONDS (60)
schedules one `vote.received` for the end of that window, counting the votes cast or changed in it
(from the vote log, so nothing is counted twice); the window key makes it once per track and window.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from marketplace.webhooks.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)
Event = Webhook.Event
SUBSCRIPTIONS_TTL = 300
CHARTS = {"daily": 50, "weekly": 50, "monthly": 50, "alltime": 50, "trending": 10}


def _subscriptions_key(user_id):
    return f"webhooks:events:v1:{user_id}"


def subscribed_events(user_id):
    """The events any active webhook of `user_id` wants (cached, so an unheard event costs no query)."""
    if not user_id:
        return set()
    events = cache.get_or_set(_subscriptions_key(user_id), lambda: sorted({
        event for row in Webhook.objects.filter(user_id=user_id, is_active=True).values_list("events", flat=True)
        for event in row
    }), SUBSCRIPTIONS_TTL)
    return set(events or ())


def forget_subscriptions(user_id):
    cache.delete(_subscriptions_key(user_id))


def emit(user_id, event, build, dedupe_key=""):
    """Queue `event` for every active webhook of `user_id` subscribed to it; returns the new deliveries.

    `build()` gives the event's `data` and runs only when someone is subscribed. With a `dedupe_key`
    a webhook gets the event once, however often it is emitted.
    """
    from marketplace.webhooks import services

    if event not in subscribed_events(user_id):
        return []
    hooks = list(Webhook.objects.filter(user_id=user_id, is_active=True, events__contains=[event]))
    if not hooks:
        return []
    now = timezone.now()
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "type": event, "created_at": now.isoformat(), "data": build()}
    created = []
    for hook in hooks:
        try:
            with transaction.atomic():
                created.append(WebhookDelivery.objects.create(
                    webhook=hook, event_id=event_id, event=event, payload=payload, dedupe_key=dedupe_key[:120],
                    next_attempt_at=now))
        except IntegrityError:  # this webhook already has the event under that key
            continue
    for delivery in created:
        transaction.on_commit(lambda pk=delivery.pk: services.queue_delivery(pk))
    return created


def _after_commit(user_id, event, build, dedupe_key=""):
    transaction.on_commit(lambda: emit(user_id, event, build, dedupe_key))


# --- What the payloads carry ---------------------------------------------------------------

def _site(path):
    return settings.SITE_URL.rstrip("/") + path


def track_summary(track):
    return {"id": track.pk, "title": track.title, "artist": track.artist, "status": track.status,
            "url": _site(track.get_absolute_url()), "api_url": _site(f"/api/v1/tracks/{track.pk}")}


def _money(value):
    return f"{value:.2f}"


def _when(value):
    return value.isoformat() if value else None


# --- Called from the services where each event happens -------------------------------------

def track_published(track):
    """A track went live (published at once, or restored by moderation)."""
    summary = track_summary(track)  # as it is now: the object may change again before commit
    _after_commit(track.creator_id, Event.TRACK_PUBLISHED, lambda: {"track": summary})


def track_hidden(track, reason):
    summary = track_summary(track)
    _after_commit(track.creator_id, Event.TRACK_HIDDEN, lambda: {"track": summary, "reason": reason})


def sale_recorded(sale):
    def build():
        return {"sale": {"id": sale.pk, "order_id": sale.order_id, "amount": _money(sale.amount),
                         "currency": sale.currency, "commission": _money(sale.commission),
                         "earnings": _money(sale.earnings), "created_at": _when(sale.created_at)},
                "track": track_summary(sale.track)}

    _after_commit(sale.track.creator_id, Event.SALE_RECORDED, build, f"sale:{sale.pk}")


def payout_updated(payout):
    data = {"payout": {"id": payout.pk, "amount": _money(payout.amount), "status": payout.status,
                       "requested_at": _when(payout.requested_at), "decided_at": _when(payout.decided_at),
                       "note": payout.note}}  # this step's state, whatever the object holds at commit
    _after_commit(payout.creator_id, Event.PAYOUT_UPDATED, lambda: data, f"payout:{payout.pk}:{payout.status}")


def review_posted(review):
    def build():
        return {"review": {"id": review.pk, "rating": review.rating, "text": review.text,
                           "author": review.author.name, "created_at": _when(review.created_at)},
                "track": track_summary(review.track)}

    _after_commit(review.track.creator_id, Event.REVIEW_POSTED, build, f"review:{review.pk}")


def tracks_charted(before, after):
    """Emit `track.charted` for tracks that entered a chart between two ranking snapshots ({chart: ids})."""
    from marketplace.models import Track

    entered = {}
    for chart, size in CHARTS.items():
        if before.get(chart) is None:  # after a cold start there is nothing to compare with
            continue
        new = after.get(chart, [])[:size]
        for track_id in set(new) - set(before[chart][:size]):
            entered.setdefault(track_id, []).append((chart, new.index(track_id) + 1))
    if not entered:
        return
    day = timezone.now().date().isoformat()
    for track in Track.objects.filter(pk__in=entered).only("pk", "title", "artist", "status", "slug", "creator_id"):
        for chart, position in entered[track.pk]:
            emit(track.creator_id, Event.TRACK_CHARTED,
                 lambda track=track, chart=chart, position=position: {
                     "track": track_summary(track), "chart": chart, "position": position, "size": CHARTS[chart]},
                 dedupe_key=f"charted:{track.pk}:{chart}:{day}")


def listening_sql(user, event):
    """SQL that is true when the user `user` (an SQL expression for an id) has an active webhook for `event`:
    subscribed_events(), asked by a query that runs anyway (cast_vote's), so an unheard vote costs nothing."""
    return (f"EXISTS (SELECT 1 FROM {Webhook._meta.db_table} w WHERE w.user_id = {user} AND w.is_active "
            f"AND '{Event(event).value}' = ANY(w.events))")


def vote_cast(track, heard=True):
    """A vote on `track` changed something: make sure its window's aggregated event is scheduled.
    `heard` False: the caller found (listening_sql) that its creator has no webhook for it."""
    if heard:
        transaction.on_commit(lambda: schedule_vote_window(track.pk, track.creator_id))


def vote_window(now=None):
    length = settings.WEBHOOK_VOTE_WINDOW_SECONDS
    now = time.time() if now is None else now
    start = int(now // length * length)
    return start, start + length


def schedule_vote_window(track_id, creator_id, now=None):
    """Schedule `vote.received` for the end of the current window, once per track and window."""
    from marketplace.webhooks import tasks

    if Event.VOTE_RECEIVED not in subscribed_events(creator_id):
        return False
    now = time.time() if now is None else now
    start, end = vote_window(now)
    if not cache.add(f"webhooks:votes:v1:{track_id}:{start}", 1, timeout=(end - start) * 3 + 60):
        return False
    try:
        tasks.emit_vote_window.apply_async((track_id, start), countdown=max(0.0, end - now) + 1, retry=False)
    except Exception as error:  # noqa: BLE001 - the vote stands; only its notification is lost
        logger.warning("vote.received for track %s not scheduled: %s", track_id, error)
        return False
    return True


def emit_vote_window(track_id, start):
    """The aggregated `vote.received` for one track and window: how many votes were cast or changed in it."""
    from datetime import UTC, datetime

    from marketplace.models import Track
    from voting.models import TrackScore, Vote

    length = settings.WEBHOOK_VOTE_WINDOW_SECONDS
    begins = datetime.fromtimestamp(start, UTC)
    ends = datetime.fromtimestamp(start + length, UTC)
    track = Track.objects.filter(pk=track_id).first()
    if track is None:
        return []
    counts = Vote.objects.filter(track_id=track_id, updated_at__gte=begins, updated_at__lt=ends).aggregate(
        votes=Count("pk"), upvotes=Count("pk", filter=Q(value=1)), downvotes=Count("pk", filter=Q(value=-1)))
    if not counts["votes"]:
        return []  # every vote of the window was withdrawn again

    def build():
        score = TrackScore.objects.filter(track_id=track_id).values("score", "upvotes", "downvotes").first() or {}
        return {"track": track_summary(track), "window": {"start": begins.isoformat(), "end": ends.isoformat()},
                **counts, "score": round(score.get("score", 0.0), 4),
                "vote_count": score.get("upvotes", 0) + score.get("downvotes", 0)}

    return emit(track.creator_id, Event.VOTE_RECEIVED, build, dedupe_key=f"votes:{track_id}:{start}")

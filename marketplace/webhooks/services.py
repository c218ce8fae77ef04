"""Writes for webhooks: endpoints (create, change, delete), one delivery attempt, retries, disabling, redelivery.

Delivery rules, each in one place here:
- the target must be https (WEBHOOK_SCHEMES) and every address its host resolves to public; we
  connect to the checked address (aimusicstore/outbound.py), never follow a redirect, and give it
  WEBHOOK_TIMEOUT seconds. Only tests add http and loopback (WEBHOOK_ALLOWED_NETWORKS).
- a 2xx answer is success; anything else (or no answer) is retried with exponential back-off
  (WEBHOOK_RETRY_BASE_SECONDS doubling, at most WEBHOOK_RETRY_MAX_SECONDS apart) until the event
  is WEBHOOK_RETRY_FOR_SECONDS (24 h) old, the last attempt at that mark; then it has failed.
- a webhook whose delivery failed for 24 h after WEBHOOK_DISABLE_AFTER_FAILURES or more failed
  attempts in a row (nothing succeeded in between) is disabled, its waiting deliveries cancelled,
  and its owner told through notify(). PATCH {"active": true} turns it back on.
- each attempt is claimed first (status and a lease), so a task run twice, or a task and the
  beat sweeper at once, send it once.
"""

import logging
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from aimusicstore import outbound
from marketplace.webhooks import events as webhook_events
from marketplace.webhooks import signing
from marketplace.webhooks.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status
USER_AGENT = "aimusicstore-webhooks/1.0"
SECRET_PREFIX = "whsec_"
WAITING = (Status.PENDING, Status.RETRYING)


def _invalid(field, message, code="invalid"):
    return ValidationError({field: [ValidationError(message, code=code)]})


# --- Endpoints -------------------------------------------------------------------------------

def check_target(url):
    """(scheme, host, port, address) of a URL we may deliver to; raises outbound.Unsafe with the reason."""
    parts = urlsplit(url)
    schemes = settings.WEBHOOK_SCHEMES
    if parts.scheme not in schemes:
        raise outbound.Unsafe("the URL must start with " + " or ".join(f"{s}://" for s in schemes))
    host = (parts.hostname or "").lower()
    if not host:
        raise outbound.Unsafe("the URL has no host")
    if parts.username or parts.password:
        raise outbound.Unsafe("the URL may not carry a user name or password")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise outbound.Unsafe("the URL's port is not a number from 1 to 65535") from error
    address = outbound.public_address(host, port, settings.WEBHOOK_ALLOWED_NETWORKS)
    return parts.scheme, host, port, address


def _clean_events(event_names):
    valid = set(Webhook.Event.values)
    names = list(dict.fromkeys(event_names or ()))
    unknown = [name for name in names if name not in valid]
    if unknown:
        raise _invalid("events", f"Unknown event(s): {', '.join(map(str, unknown))}. "
                                 f"Choose from: {', '.join(Webhook.Event.values)}.")
    if not names:
        raise _invalid("events", "Subscribe to at least one event.", "required")
    return names


def _clean_url(url):
    try:
        check_target(url)
    except outbound.Unsafe as error:
        raise _invalid("url", f"We cannot deliver to this URL: {error}.", "unsafe_url") from error
    return url


def new_secret():
    return SECRET_PREFIX + secrets.token_hex(24)


@transaction.atomic
def create_webhook(user, *, url, events, description=""):
    """A new active webhook for `user`; its `secret` is for the owner to keep (shown once)."""
    from accounts.models import User

    User.objects.select_for_update().only("pk").get(pk=user.pk)  # concurrent creates count in turn
    limit = settings.WEBHOOK_MAX_PER_USER
    if Webhook.objects.filter(user=user).count() >= limit:
        raise _invalid("url", f"You have {limit} webhooks, the most an account may have; delete one first.",
                       "too_many")
    webhook = Webhook.objects.create(user=user, url=_clean_url(url), events=_clean_events(events),
                                     description=(description or "")[:200], secret=new_secret())
    transaction.on_commit(lambda: webhook_events.forget_subscriptions(user.pk))
    return webhook


@transaction.atomic
def update_webhook(webhook, *, url=None, events=None, description=None, active=None):
    """Change an endpoint; `active=True` re-enables a disabled one (its failure streak starts afresh)."""
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if url is not None:
        webhook.url = _clean_url(url)
    if events is not None:
        webhook.events = _clean_events(events)
    if description is not None:
        webhook.description = description[:200]
    if active is True and not webhook.is_active:
        webhook.is_active, webhook.disabled_at, webhook.disabled_reason = True, None, ""
        webhook.failure_streak, webhook.failing_since = 0, None
    elif active is False and webhook.is_active:
        _disable(webhook, "Turned off by its owner.", tell_owner=False)
    webhook.save()
    transaction.on_commit(lambda: webhook_events.forget_subscriptions(webhook.user_id))
    return webhook


def delete_webhook(webhook):
    """Remove an endpoint and its delivery log; nothing more is sent to it."""
    user_id = webhook.user_id
    webhook.delete()
    webhook_events.forget_subscriptions(user_id)


def rotate_secret(webhook):
    """A new signing secret, in force from the next attempt; the old one stops verifying at once."""
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret"])
    return webhook


def _disable(webhook, reason, tell_owner=True):
    now = timezone.now()
    webhook.is_active, webhook.disabled_at, webhook.disabled_reason = False, now, reason[:300]
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False, disabled_at=now, disabled_reason=reason[:300])
    WebhookDelivery.objects.filter(webhook=webhook, status__in=WAITING).update(
        status=Status.CANCELLED, next_attempt_at=None)
    transaction.on_commit(lambda: webhook_events.forget_subscriptions(webhook.user_id))
    if tell_owner:
        from marketplace.notifications.services import Kind, notify

        notify(webhook.user, Kind.WEBHOOK_DISABLED, title=f"Your webhook to {webhook.url} was turned off",
               body=f"{reason} Fix the endpoint, then turn it back on with PATCH /api/v1/webhooks/{webhook.pk} "
                    '{"active": true}; deliveries it missed can be redelivered from its log.',
               url="/agents/#webhooks", dedupe_key=f"webhook-disabled:{webhook.pk}:{int(now.timestamp())}")


# --- Delivering ------------------------------------------------------------------------------

def retry_delay(attempts):
    """Seconds before the next attempt after `attempts` failed ones: base × 2^(attempts−1), capped."""
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_MAX_SECONDS)


def queue_delivery(delivery_id, countdown=0):
    """Hand an attempt to Celery (now, or after `countdown` s); the beat sweeper picks up what this misses."""
    from marketplace.webhooks import tasks

    try:
        tasks.deliver_webhook.apply_async((delivery_id,), countdown=countdown, retry=False)
    except Exception as error:  # noqa: BLE001 - the row waits in the database; the sweeper sends it
        logger.warning("webhook delivery %s not queued (%s): the sweeper will send it", delivery_id, error)


def _claim(delivery_id, now):
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT + 60)
    due = Q(status__in=WAITING, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_until__lt=now)
    claimed = WebhookDelivery.objects.filter(due, pk=delivery_id).update(status=Status.SENDING, lease_until=lease)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook__user").get(pk=delivery_id)


def body_of(delivery):
    import json

    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def _post(webhook, delivery, body):
    """(status, first 500 characters of the answer) from one POST; raises outbound.Unsafe or OSError."""
    import http.client

    scheme, host, port, address = check_target(webhook.url)
    parts = urlsplit(webhook.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = outbound.pinned_connection(scheme, host, port, address, settings.WEBHOOK_TIMEOUT)
    headers = {
        "Content-Type": "application/json", "User-Agent": USER_AGENT,
        "X-Signature": signing.sign(webhook.secret, body),
        "X-Webhook-Id": str(webhook.pk), "X-Event-Id": str(delivery.event_id), "X-Event-Type": delivery.event,
        "X-Delivery-Id": str(delivery.pk), "X-Delivery-Attempt": str(delivery.attempts + 1),
    }
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(2000).decode("utf-8", "replace")[:500]
        return response.status, answer
    except http.client.HTTPException as error:
        raise OSError(f"bad HTTP answer ({error.__class__.__name__})") from error
    finally:
        connection.close()


def deliver(delivery_id):
    """Make one attempt at a due delivery and record it; returns the delivery (None if not due or taken)."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    webhook = delivery.webhook
    if not webhook.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.CANCELLED, lease_until=None,
                                                              next_attempt_at=None)
        return delivery
    started = time.monotonic()
    status_code, answer, error = None, "", ""
    try:
        status_code, answer = _post(webhook, delivery, body_of(delivery))
        if not 200 <= status_code < 300:
            redirect = " (we never follow redirects)" if 300 <= status_code < 400 else ""
            error = f"answered HTTP {status_code}{redirect}"
    except outbound.Unsafe as refused:
        error = f"refused: {refused}"
    except OSError as failure:
        error = f"no answer: {failure.__class__.__name__}" + (f" ({failure})" if str(failure) else "")
    return _record(delivery, webhook, now, status_code, answer, error, int((time.monotonic() - started) * 1000))


@transaction.atomic
def _record(delivery, webhook, now, status_code, answer, error, duration_ms):
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.response_status, delivery.response_body = now, status_code, answer
    delivery.error, delivery.duration_ms, delivery.lease_until = error[:300], duration_ms, None
    retry_in = None
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = Status.SUCCEEDED, timezone.now(), None
        Webhook.objects.filter(pk=webhook.pk).update(failure_streak=0, failing_since=None)
    else:
        Webhook.objects.filter(pk=webhook.pk).update(failure_streak=F("failure_streak") + 1,
                                                     failing_since=Coalesce(F("failing_since"), now))
        give_up_at = delivery.created_at + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
        if now >= give_up_at:
            delivery.status, delivery.next_attempt_at = Status.FAILED, None
        else:
            delivery.status = Status.RETRYING
            delivery.next_attempt_at = min(now + timedelta(seconds=retry_delay(delivery.attempts)), give_up_at)
            retry_in = (delivery.next_attempt_at - now).total_seconds()
    delivery.save()
    if delivery.status == Status.FAILED:
        webhook.refresh_from_db(fields=["failure_streak", "is_active"])
        if webhook.is_active and webhook.failure_streak >= settings.WEBHOOK_DISABLE_AFTER_FAILURES:
            _disable(webhook, f"Its deliveries failed for {settings.WEBHOOK_RETRY_FOR_SECONDS // 3600 or 1} hours "
                              f"({webhook.failure_streak} failed attempts in a row, the last: {error}).")
    # Short waits go to Celery's countdown; long ones wait in the database for the beat sweeper
    # (a broker holds an unacknowledged countdown task only for its visibility timeout).
    if retry_in is not None and retry_in <= settings.WEBHOOK_COUNTDOWN_MAX_SECONDS:
        transaction.on_commit(lambda: queue_delivery(delivery.pk, countdown=retry_in))
    return delivery


def sweep_due(limit=500):
    """Queue every delivery whose attempt is due (and any attempt whose sender died); returns how many."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(
        Q(status__in=WAITING, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_until__lt=now)
    ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    ids = list(due)
    for delivery_id in ids:
        queue_delivery(delivery_id)
    return len(ids)


@transaction.atomic
def redeliver(delivery):
    """Send a logged delivery again, now: a new log row with the same event id and body."""
    webhook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
    if not webhook.is_active:
        raise ValidationError("This webhook is turned off; turn it back on (PATCH {\"active\": true}) first.",
                              code="webhook_disabled")
    again = WebhookDelivery.objects.create(
        webhook=webhook, event_id=delivery.event_id, event=delivery.event, payload=delivery.payload,
        redelivery_of=delivery, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: queue_delivery(again.pk))
    return again

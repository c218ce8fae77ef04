"""Writes of trust and safety: reports, staff decisions, appeals; the one place each rule is enforced.

The report form, the report API and the admin queue all call these. Every decision that touches
a creator's work leaves a ModerationNotice on their dashboard and emails them once it commits.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.authentication import forget_keys_of
from accounts.models import Agent, ApiKey, User
from aimusicstore import audit
from marketplace.catalogue import services as catalogue
from marketplace.models import Track
from marketplace.moderation import targets
from marketplace.moderation.models import Appeal, ModerationNotice, Report, Suspension, Takedown
from marketplace.notifications import services as notifications
from voting.models import Vote
from voting.services import recompute_targets


def _invalid(field, message, code="invalid"):
    return ValidationError({field: [ValidationError(message, code=code)]})


# --- Reports -----------------------------------------------------------------------------------

def file_report(reporter, target_type, target_id, reason, note=""):
    """Record `reporter`'s report, or update their open one on the same target; return (report, created).

    One open report per user per target is the database's rule (a partial unique constraint), so
    concurrent repeats leave one row: the loser of the race updates the winner's.
    """
    kind = targets.kind_of(target_type)
    if kind is None:
        raise _invalid("target_type", f"Choose one of: {', '.join(sorted(targets.TARGETS))}.")
    if reason not in Report.Reason.values:
        raise _invalid("reason", f"Choose one of: {', '.join(Report.Reason.values)}.")
    target = targets.find(target_type, target_id)
    if target is None:
        raise _invalid("target_id", f"No {target_type} with this id.", "not_found")
    if kind.creator_of(target).pk == reporter.pk:
        raise _invalid("target_id", "You cannot report your own work.", "own_work")
    note = (note or "").strip()[:2000]
    fields = {"reporter": reporter, "target_type": target_type, "target_id": target.pk}
    try:
        with transaction.atomic():
            return Report.objects.create(**fields, reason=reason, note=note), True
    except IntegrityError:
        pass  # an open report exists (perhaps made a moment ago by a concurrent request)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(**fields, status=Report.Status.OPEN)
        report.reason, report.note = reason, note
        report.save(update_fields=["reason", "note", "updated_at"])
    return report, False


def _resolve(target_type, target_ids, moderator, status, resolution):
    return Report.objects.filter(
        target_type=target_type, target_id__in=list(target_ids), status=Report.Status.OPEN
    ).update(status=status, resolved_by=moderator, resolved_at=timezone.now(), resolution=resolution[:300])


@transaction.atomic
def dismiss_reports(target_type, target_id, moderator, note=""):
    """Staff found nothing wrong: the target's open reports close, nothing else changes."""
    target = targets.load(target_type, target_id)
    if target is not None:
        audit.record_staff_action(moderator, target, "dismiss reports", reason=note)
    return _resolve(target_type, [target_id], moderator, Report.Status.DISMISSED, note or "Dismissed")


# --- Telling the creator ----------------------------------------------------------------------

def notify(creator, kind, message, track=None):
    """A notice on the creator's dashboard, and the same words emailed once the decision commits."""
    notice = ModerationNotice.objects.create(creator=creator, track=track, kind=kind, message=message)
    subject = f"[aimusicstore] {notice.get_kind_display()}" + (f": {track.title}" if track else "")
    body = f"{message}\n\nYour dashboard: {settings.SITE_URL}{reverse('marketplace:dashboard')}\n"
    address = creator.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))
    notifications.notify(creator, notifications.Kind.MODERATION_DECISION, title=subject.removeprefix("[aimusicstore] "),
                         body=message, url=reverse("marketplace:dashboard"), dedupe_key=f"moderation:{notice.pk}",
                         email=False)
    return notice


# --- Decisions on tracks ----------------------------------------------------------------------

TRACK_FIELDS = ["status", "moderation_reason"]  # what the audit log shows before/after


@transaction.atomic
def hide(track, reason, moderator, kind=ModerationNotice.Kind.HIDDEN):
    """Hide a track from every public page, list and API read at once; tell its creator why."""
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "Say why the track is hidden: the creator is shown this.", "required")
    action = "hide" if kind == ModerationNotice.Kind.HIDDEN else "copyright takedown"
    with audit.recorded(moderator, track, action, TRACK_FIELDS, reason):
        catalogue.hide_track(track, reason)
    _resolve("track", [track.pk], moderator, Report.Status.ACTIONED, f"Hidden: {reason}")
    notify(track.creator, kind, f"“{track.title}” was hidden by moderation. Reason: {reason}\n"
                                "You may appeal once from your dashboard.", track)
    return track


@transaction.atomic
def restore(track, moderator, note=""):
    """Put a hidden or held track back on sale and tell its creator."""
    with audit.recorded(moderator, track, "restore", TRACK_FIELDS, note):
        catalogue.restore_track(track)
    _resolve("track", [track.pk], moderator, Report.Status.DISMISSED, note or "Restored")
    notify(track.creator, ModerationNotice.Kind.RESTORED,
           f"“{track.title}” is public again." + (f" {note}" if note else ""), track)
    return track


@transaction.atomic
def take_down(track, moderator, *, claimant, contact, work_claimed, received_on):
    """A copyright takedown: the claim is recorded and the track hidden with the claim as its reason."""
    for field, value in (("claimant", claimant), ("contact", contact), ("work_claimed", work_claimed)):
        if not (value or "").strip():
            raise _invalid(field, "Required for a copyright takedown.", "required")
    if received_on is None:
        raise _invalid("received_on", "Required for a copyright takedown.", "required")
    takedown = Takedown.objects.create(track=track, claimant=claimant.strip(), contact=contact.strip(),
                                       work_claimed=work_claimed.strip(), received_on=received_on,
                                       recorded_by=moderator)
    hide(track, f"Copyright takedown: {claimant.strip()} claims “{work_claimed.strip()}” "
                f"(notice of {received_on:%d %b %Y}).", moderator, kind=ModerationNotice.Kind.TAKEDOWN)
    return takedown


# --- Decisions on creators --------------------------------------------------------------------

@transaction.atomic
def warn(creator, message, moderator, target_type="creator", target_id=None):
    """A warning to a creator; the reports that prompted it close as acted on."""
    message = (message or "").strip()
    if not message:
        raise _invalid("reason", "Write the warning the creator will read.", "required")
    _resolve(target_type, [target_id if target_id is not None else creator.pk], moderator,
             Report.Status.ACTIONED, f"Creator warned: {message}")
    audit.record_staff_action(moderator, creator, "warn", reason=message)
    return notify(creator, ModerationNotice.Kind.WARNING, f"A warning from moderation: {message}")


@transaction.atomic
def suspend(creator, reason, moderator):
    """Suspend a creator and their agents: accounts deactivated (no login), every API key revoked
    (401 at once), every listed track hidden, every vote weighing zero and its target rescored."""
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "Say why the creator is suspended.", "required")
    if creator.is_staff:
        raise _invalid("reason", "Staff accounts cannot be suspended here.", "staff")
    family = [creator.pk, *Agent.objects.filter(owner=creator).values_list("user_id", flat=True)]
    audit.record_staff_action(moderator, creator, "suspend", reason=reason,
                              before={"is_active": creator.is_active}, after={"is_active": False})
    User.objects.filter(pk__in=family).update(is_active=False)
    ApiKey.objects.filter(user_id__in=family, revoked_at__isnull=True).update(revoked_at=timezone.now())
    forget_keys_of(family)
    tracks = list(Track.objects.filter(creator_id__in=family, status__in=[Track.Status.PUBLISHED,
                                                                        Track.Status.PENDING]))
    for track in tracks:
        catalogue.hide_track(track, f"Creator suspended: {reason}")
    touched = list(Vote.objects.filter(voter_id__in=family, weight__gt=0).values_list("track_id", "tool_id"))
    Vote.objects.filter(voter_id__in=family, weight__gt=0).update(weight=0)
    recompute_targets({t for t, _ in touched if t}, {o for _, o in touched if o})
    Suspension.objects.create(user=creator, reason=reason, suspended_by=moderator)
    resolution = f"Creator suspended: {reason}"
    _resolve("creator", family, moderator, Report.Status.ACTIONED, resolution)
    _resolve("track", [t.pk for t in Track.objects.filter(creator_id__in=family)], moderator,
             Report.Status.ACTIONED, resolution)
    notify(creator, ModerationNotice.Kind.SUSPENDED, f"Your account is suspended. Reason: {reason}")
    return len(tracks)


# --- Appeals ----------------------------------------------------------------------------------

def appeal(creator, track, note):
    """The creator's one appeal against a hidden track; it joins the moderation queue."""
    note = (note or "").strip()
    if track.creator_id != creator.pk:
        raise _invalid("track", "You can only appeal for your own tracks.", "not_owner")
    if track.status != Track.Status.HIDDEN:
        raise _invalid("track", "Only a hidden track can be appealed.", "not_hidden")
    if not note:
        raise _invalid("note", "Tell the moderators why the track should come back.", "required")
    try:
        with transaction.atomic():
            return Appeal.objects.create(track=track, creator=creator, note=note[:2000],
                                         hidden_reason=track.moderation_reason)
    except IntegrityError:
        raise _invalid("note", "You have already appealed for this track; a track may be appealed once.",
                       "already_appealed") from None


@transaction.atomic
def decide_appeal(appeal_obj, moderator, grant, note=""):
    """Staff decide an open appeal: grant (the track is restored) or uphold (it stays hidden)."""
    appeal_obj = Appeal.objects.select_for_update().select_related("track__creator").get(pk=appeal_obj.pk)
    if appeal_obj.status != Appeal.Status.OPEN:
        raise _invalid("decision", "This appeal was already decided.", "decided")
    note = (note or "").strip()
    appeal_obj.status = Appeal.Status.RESTORED if grant else Appeal.Status.UPHELD
    appeal_obj.decision_note, appeal_obj.decided_by, appeal_obj.decided_at = note, moderator, timezone.now()
    appeal_obj.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    track = appeal_obj.track
    if grant:
        with audit.recorded(moderator, track, "grant appeal", TRACK_FIELDS, note):
            catalogue.restore_track(track)
    else:
        audit.record_staff_action(moderator, track, "uphold appeal", reason=note)
    if grant:
        notify(track.creator, ModerationNotice.Kind.APPEAL_GRANTED,
               f"Your appeal was granted: “{track.title}” is public again." + (f" {note}" if note else ""), track)
    else:
        notify(track.creator, ModerationNotice.Kind.APPEAL_UPHELD,
               f"Your appeal was upheld: “{track.title}” stays hidden." + (f" {note}" if note else ""), track)
    return appeal_obj

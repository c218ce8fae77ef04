"""The record of every staff action: who, when, what, why, before and after.

Two records, one call. django-auditlog's `LogEntry` is the filterable log (`/admin/auditlog/logentry/`,
and each audited object's "Audit log" page); it also records every admin edit by itself, through
its save/delete signals, with the actor from `AuditMiddleware`. Django's own admin `LogEntry`
feeds the admin's "Recent actions" and each object's History. Staff actions that write with
`queryset.update()` (hide, restore, revoke, deactivate...) bypass model signals, so they go through
`record_staff_action`, which writes both records with the action's name and its reason.
"""

from contextlib import contextmanager

from auditlog.context import disable_auditlog
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry as AuditEntry
from auditlog.registry import auditlog
from django import forms
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminEntry
from django.contrib.contenttypes.models import ContentType


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, but the address is the connection's: a client-sent X-Forwarded-For
    is not evidence (the proxy rule lives with the rate limits)."""

    @staticmethod
    def _get_remote_addr(request):
        return request.META.get("REMOTE_ADDR")


def _value(value):
    return "" if value is None else str(value)


def snapshot(obj, fields):
    """{field: value} of `obj` as stored now, for the before/after of an action."""
    obj.refresh_from_db(fields=fields)
    return {name: getattr(obj, name) for name in fields}


def record_staff_action(actor, obj, action, *, reason="", before=None, after=None, remote_addr=None):
    """One audit row (auditlog, with reason and before/after) and one admin "Recent actions" row."""
    before, after = before or {}, after or {}
    changes = {name: [_value(before.get(name)), _value(after.get(name))]
               for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)}
    entry = AuditEntry.objects.log_create(
        obj, force_log=True, action=AuditEntry.Action.UPDATE, changes=changes,
        actor=actor, actor_email=getattr(actor, "email", None), remote_addr=remote_addr,
        additional_data={"action": action, "reason": reason},
    )
    summary = "; ".join(f"{name}: {old or '—'} → {new or '—'}" for name, (old, new) in changes.items())
    message = f"{action}" + (f" ({reason})" if reason else "") + (f": {summary}" if summary else "")
    if actor is not None and actor.pk:
        AdminEntry.objects.log_actions(
            actor.pk, [obj], CHANGE, change_message=message[:2000], single_object=True,
        )
    return entry


@contextmanager
def recorded(actor, obj, action, fields, reason="", remote_addr=None):
    """Run a service on `obj` as one recorded staff action: its own field changes are snapshotted
    around it and written once (auditlog's per-save rows are suppressed inside, so nothing doubles)."""
    before = snapshot(obj, fields)
    with disable_auditlog():
        yield
    after = snapshot(obj, fields)
    record_staff_action(actor, obj, action, reason=reason, before=before, after=after, remote_addr=remote_addr)


def staff_action(request, obj, action, fields, reason=""):
    """`recorded(...)` for an admin request: its staff member and address."""
    return recorded(request.user, obj, action, fields, reason, remote_addr=request.META.get("REMOTE_ADDR"))


def entries_for(obj):
    """The audit rows of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).order_by("-timestamp")


def register_audited_models():
    """The models staff change, recorded on every save and delete (called from AccountsConfig.ready)."""
    from accounts.models import Agent, ApiKey, User
    from marketplace.models import FeaturedPlacement, Payout, Platform, Sale, Tool, Track
    from voting.models import Vote

    auditlog.register(User, include_fields=["email", "handle", "display_name", "role", "tier", "is_active",
                                            "is_staff", "is_superuser"])
    auditlog.register(ApiKey, exclude_fields=["key_hash", "last_used"])
    auditlog.register(Agent)
    auditlog.register(Track, exclude_fields=["search_vector", "updated_at", "waveform"])
    auditlog.register(Payout)
    auditlog.register(Sale)
    auditlog.register(Platform)
    auditlog.register(Tool)
    auditlog.register(FeaturedPlacement)
    auditlog.register(Vote, include_fields=["status", "flag_reason", "weight"])


class ReasonActionForm(ActionForm):
    """The admin's action bar with a "Reason" box: the reason goes into the audit row (and, for a
    hide, to the creator)."""

    reason = forms.CharField(required=False, max_length=500, label="Reason",
                             widget=forms.TextInput(attrs={"placeholder": "Why (recorded in the audit log)"}))


def action_reason(request):
    return (request.POST.get("reason") or "").strip()[:500]


class ReasonedChangeMixin:
    """An admin change form with a "Reason for this change" box: the reason goes into the audit row
    auditlog writes for the save (through the instance's `get_additional_data`)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:  # adding: nothing changes yet (and UserAdmin swaps in its own add form)
            return super().get_form(request, obj, change=change, **kwargs)
        base = kwargs.pop("form", self.form)
        form = type(f"Reasoned{base.__name__}", (base,), {
            "change_reason": forms.CharField(required=False, max_length=500, label="Reason for this change",
                                             help_text="Recorded in the audit log with the change."),
        })
        return super().get_form(request, obj, change=change, form=form, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not any("change_reason" in opts.get("fields", ()) for _, opts in fieldsets):
            fieldsets.append(("Audit", {"fields": ["change_reason"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        if change:
            obj.get_additional_data = lambda: {"action": "admin edit", "reason": reason}
        super().save_model(request, obj, form, change)

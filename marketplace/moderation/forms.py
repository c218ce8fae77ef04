"""Moderation forms: parse input; every rule is in marketplace.moderation.services."""

from django import forms

from marketplace.moderation.models import Report


class ReportForm(forms.Form):
    target_type = forms.CharField(widget=forms.HiddenInput, max_length=20)
    target_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    reason = forms.ChoiceField(label="What is wrong?", choices=[("", "Choose a reason")] + Report.Reason.choices)
    note = forms.CharField(label="Details (optional)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    note = forms.CharField(label="Why should the track come back?", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ModerationActionForm(forms.Form):
    """One staff decision on a reported target, from the admin's review page."""

    ACTIONS = [
        ("hide", "Hide the track"), ("restore", "Restore the track"), ("dismiss", "Dismiss the reports"),
        ("warn", "Warn the creator"), ("suspend", "Suspend the creator"), ("takedown", "Copyright takedown"),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(label="Reason (shown to the creator)", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    claimant = forms.CharField(required=False, max_length=200)
    contact = forms.CharField(label="Claimant's contact", required=False, max_length=254)
    work_claimed = forms.CharField(required=False, max_length=300)
    received_on = forms.DateField(label="Claim received on", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("restore", "Grant: restore the track"), ("uphold", "Uphold: keep hidden")])
    note = forms.CharField(label="Note to the creator", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

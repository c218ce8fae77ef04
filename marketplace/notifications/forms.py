"""The notification switches: one in-app and one email checkbox per kind."""

from django import forms

from marketplace.notifications.services import EMAIL_ONLY, Kind, Switches


class PreferencesForm(forms.Form):
    def __init__(self, *args, current=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in Kind:
            switches = current.get(kind)
            if kind not in EMAIL_ONLY:
                self.fields[f"{kind}_in_app"] = forms.BooleanField(
                    required=False, label=f"{kind.label}: show in my notifications",
                    initial=switches.in_app if switches else True)
            self.fields[f"{kind}_email"] = forms.BooleanField(
                required=False, label=f"{kind.label}: email me", initial=switches.email if switches else True)

    def rows(self):
        """(kind, in-app field or None, email field) for the template's table."""
        return [(kind, self[f"{kind}_in_app"] if kind not in EMAIL_ONLY else None, self[f"{kind}_email"])
                for kind in Kind]

    def switches(self):
        data = self.cleaned_data
        return {kind: Switches(in_app=data.get(f"{kind}_in_app", False), email=data[f"{kind}_email"]) for kind in Kind}

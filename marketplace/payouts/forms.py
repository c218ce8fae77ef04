"""The payout destination form: PayPal email or IBAN (checked with its mod-97 digits), legal name, country."""

import re

from django import forms
from django.core.validators import validate_email

from marketplace.payouts.models import PayoutMethod

IBAN_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def iban_is_valid(iban):
    if not IBAN_RE.match(iban):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


class PayoutMethodForm(forms.Form):
    kind = forms.ChoiceField(label="Payout method", choices=PayoutMethod.Kind.choices, widget=forms.RadioSelect)
    account = forms.CharField(label="PayPal email or IBAN", max_length=254,
                              help_text="Shown masked from now on; only staff paying you see it in full.")
    account_name = forms.CharField(label="Account holder (bank transfers)", max_length=120, required=False)
    legal_name = forms.CharField(label="Legal name", max_length=120)
    country = forms.RegexField(label="Country (two letters, e.g. DE)", regex=r"^[A-Za-z]{2}$", max_length=2,
                               error_messages={"invalid": "Enter the two-letter country code, e.g. DE or US."})

    def clean(self):
        data = super().clean()
        kind, account = data.get("kind"), (data.get("account") or "").strip()
        if kind == PayoutMethod.Kind.PAYPAL and account:
            try:
                validate_email(account)
            except forms.ValidationError:
                self.add_error("account", "Enter the email address of your PayPal account.")
        elif kind == PayoutMethod.Kind.IBAN and account:
            account = account.replace(" ", "").upper()
            if not iban_is_valid(account):
                self.add_error("account", "This is not a valid IBAN: check the letters and digits.")
            if not data.get("account_name"):
                self.add_error("account_name", "Banks need the account holder's name.")
        data["account"] = account
        return data

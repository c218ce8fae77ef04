"""Account forms: parse and validate; accounts.services saves."""

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.internal.flows.email_verification import consume_email_verification_rate_limit
from allauth.account.models import EmailAddress
from allauth.account.utils import has_verified_email
from django import forms
from django.core.exceptions import ValidationError

from marketplace.catalogue import validators


class ProfileForm(forms.Form):
    handle = forms.SlugField(
        max_length=40, help_text="Your public address: /creators/your-handle/ — old addresses keep redirecting."
    )
    display_name = forms.CharField(max_length=80, label="Display name")
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000)
    links = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            help_text="One https:// link per line (max 5).")
    avatar = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                             help_text="JPEG, PNG or WebP; stored as a 256 px square-fit image.")
    notify_new_tracks = forms.BooleanField(required=False, label="Email me when a creator I follow publishes")

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {
            "handle": user.handle, "display_name": user.display_name, "bio": user.bio,
            "links": "\n".join(user.links or []), "notify_new_tracks": user.notify_new_tracks,
        })
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_handle(self):
        from accounts.models import HandleRedirect, User

        handle = self.cleaned_data["handle"].lower()
        if not handle[0].isalnum():
            raise ValidationError("Start your handle with a letter or a digit.")
        taken = User.objects.filter(handle=handle).exclude(pk=self.user.pk).exists() or \
            HandleRedirect.objects.filter(old_handle=handle).exclude(user=self.user).exists()
        if taken:
            raise ValidationError("That handle is taken; try another.")
        return handle

    def clean_links(self):
        links = [line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()]
        if len(links) > 5:
            raise ValidationError("At most 5 links.")
        for link in links:
            validators.validate_https_url(link)
        return links

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar:
            validators.validate_avatar(avatar)
        return avatar


EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, label="Key name", help_text="So you can tell your keys apart")
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")


class LoginForm(AllauthLoginForm):
    """allauth's login, answering an unverified account's right password as a wrong one.

    allauth sends such a login to the "verify your email" page. With a sign-up that answers a known
    address as a new one, that told the address apart: sign up someone's address with a password of
    one's own, log in with it, and a new address reached that page while a known one (its owner's
    password differs) said "not correct". Now both say "not correct, or not confirmed yet", as the
    API login does; the address's owner is mailed a fresh confirmation link (allauth's, at most one
    per address every few minutes: ACCOUNT_RATE_LIMITS["confirm_email"]), so a new member who lost
    theirs still gets in.
    """

    def _clean_with_password(self, credentials):
        cleaned = super()._clean_with_password(credentials)
        if allauth_settings.EMAIL_VERIFICATION == allauth_settings.EmailVerificationMethod.MANDATORY \
                and not has_verified_email(self.user):
            self._mail_a_fresh_link(credentials.get("email") or "")
            self.user = None
            raise get_adapter(self.request).validation_error("email_password_mismatch")
        return cleaned

    def _mail_a_fresh_link(self, email):
        """allauth's confirmation mail and rate limit, without its "confirmation sent to …" page message."""
        unverified = EmailAddress.objects.filter(user=self.user, verified=False)
        address = unverified.filter(email__iexact=email).first() or unverified.order_by("-primary").first()
        if address and consume_email_verification_rate_limit(self.request, address.email):
            address.send_confirmation(self.request, signup=False)

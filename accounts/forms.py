"""Account forms: parse and validate; accounts.services saves."""

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

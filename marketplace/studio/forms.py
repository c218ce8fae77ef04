"""Studio forms: parse and validate input; saving happens in marketplace.catalogue.services."""

from django import forms
from django.core.exceptions import ValidationError

from marketplace.analysis.selectors import finished_analysis
from marketplace.analysis.vocabulary import KEYS
from marketplace.catalogue import validators
from marketplace.catalogue.vocabulary import GENRES, MOODS
from marketplace.licensing.forms import RightsFormMixin
from marketplace.models import Platform, Tool


class TagsField(forms.CharField):
    """'#ambient #chill, electronic' -> ['ambient', 'chill', 'electronic']."""

    def to_python(self, value):
        value = super().to_python(value) or ""
        tags = []
        for raw in value.replace(",", " ").split():
            tag = raw.lstrip("#").strip().lower()[:40]
            if tag and tag not in tags:
                tags.append(tag)
        return tags[:15]


class TrackForm(RightsFormMixin, forms.Form):
    """Upload and edit a track. Every rule lives in marketplace.validators (the API shares them)."""

    title = forms.CharField(max_length=200)
    artist = forms.CharField(max_length=120, required=False, help_text="Defaults to your display name.")
    genre = forms.ChoiceField(choices=[("", "Choose a genre")] + GENRES)
    moods = forms.MultipleChoiceField(choices=MOODS, widget=forms.CheckboxSelectMultiple, required=False)
    bpm = forms.IntegerField(label="BPM", required=False, validators=[validators.validate_bpm])
    key = forms.ChoiceField(label="Key", required=False, choices=[("", "Not sure")] + KEYS)
    platform = forms.ModelChoiceField(queryset=Platform.objects.order_by("requires_approval", "name"),
                                      empty_label="Choose where it is sold",
                                      help_text="Choose “Other” if your platform is not listed.")
    tool = forms.ModelChoiceField(queryset=Tool.objects.all(), required=False, label="Made with",
                                  empty_label="Not listed")
    preview_audio = forms.FileField(
        label="Preview audio file", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".mp3,.ogg,.wav,.flac,audio/*"}),
        help_text="MP3, OGG, WAV or FLAC, 5–120 seconds, at most 20 MB. Over 30 s is cut to a 30-second preview.",
    )
    preview_url = forms.URLField(label="…or a preview URL", required=False, max_length=500,
                                 assume_scheme="https", validators=[validators.validate_https_url])
    purchase_url = forms.URLField(label="Purchase URL", max_length=500, assume_scheme="https",
                                  help_text="Where buyers buy the full track; we add our affiliate tag.")
    price = forms.DecimalField(label="Price (USD)", initial="1.99", max_digits=6, decimal_places=2,
                               validators=[validators.validate_price])
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
    tags = TagsField(required=False, help_text="Separate with spaces or commas, e.g. #ambient #chill")
    cover = forms.FileField(
        label="Cover art", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG or WebP, at most 10 MB and 6000 px a side.",
    )

    def __init__(self, *args, track=None, creator=None, **kwargs):
        self.track = track
        if track is not None:
            kwargs.setdefault("initial", {
                "title": track.title, "artist": track.artist, "genre": track.genre, "moods": track.moods,
                "bpm": track.bpm, "platform": track.platform_id, "tool": track.tool_id,
                "preview_url": track.preview_url, "purchase_url": track.purchase_url, "price": track.price,
                "description": track.description, "tags": " ".join(f"#{t}" for t in track.tags),
                **RightsFormMixin.rights_initial(track),
            })
        elif creator is not None:
            kwargs.setdefault("initial", {"artist": creator.name, "price": "1.99"})
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if track is not None:
            prefill_from_analysis(self, track)
        self.fields["price"].widget.attrs.update({"min": "0.50", "max": "999.99", "step": "0.01"})
        self.fields["bpm"].widget.attrs.update({"min": validators.MIN_BPM, "max": validators.MAX_BPM})
        self.fields["tags"].initial = self.initial.get("tags")

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover:
            validators.validate_cover(cover)
        return cover

    def clean_preview_audio(self):
        audio = self.cleaned_data.get("preview_audio")
        if audio:
            validators.validate_preview(audio)
        return audio

    def clean(self):
        data = super().clean()
        platform = data.get("platform")
        if data.get("purchase_url") and "purchase_url" not in self.errors:
            try:
                validators.validate_purchase_url(data["purchase_url"], platform)
            except ValidationError as error:
                self.add_error("purchase_url", error)
        has_existing = self.track is not None and (self.track.preview_audio or self.track.preview_url)
        if not data.get("preview_audio") and not data.get("preview_url") and not has_existing \
                and "preview_audio" not in self.errors and "preview_url" not in self.errors:
            self.add_error("preview_audio", "Upload a preview file or give a preview URL.")
        return data

    def track_data(self):
        """Cleaned data in the shape catalogue.services expects."""
        data = dict(self.cleaned_data)
        if not data.get("preview_audio"):
            data.pop("preview_audio", None)
        if not data.get("cover"):
            data.pop("cover", None)
        if self.track is not None and not data.get("preview_url") and not data.get("preview_audio"):
            data.pop("preview_url", None)  # keep the existing preview
        return self.rights_data(data)


def prefill_from_analysis(form, track):
    """Offer the measured tempo and key where the creator left them blank, and say what was measured."""
    analysis = finished_analysis(track)
    if analysis is None:
        return
    if analysis.detected_bpm:
        form.initial["bpm"] = track.bpm or analysis.detected_bpm
        form.fields["bpm"].help_text = f"Measured: {analysis.detected_bpm} BPM."
    if analysis.key:
        form.initial["key"] = track.key or analysis.key
        form.fields["key"].help_text = f"Measured: {analysis.key}."


class TrackSearchForm(forms.Form):
    SORTS = [
        ("-created_at", "Newest"), ("created_at", "Oldest"), ("title", "Title A–Z"), ("-title", "Title Z–A"),
        ("-plays", "Most played"), ("plays", "Least played"), ("-votes", "Most votes"), ("votes", "Fewest votes"),
        ("-score", "Highest score"), ("score", "Lowest score"), ("-clicks", "Most clicks"), ("clicks", "Fewest clicks"),
        ("-sales", "Most sales"), ("sales", "Fewest sales"), ("-earnings", "Highest earnings"),
        ("earnings", "Lowest earnings"),
    ]
    q = forms.CharField(label="Search my tracks", required=False, max_length=100)
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)

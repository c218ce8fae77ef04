"""The studio's rights fields: licence, attestations and honest AI credits (mixed into studio's TrackForm)."""

from django import forms

from marketplace.licensing.models import CREDIT_PARTS, Licence
from marketplace.licensing.services import DEFAULT_LICENCE

CREDIT_CHOICES = [("", "Not stated"), ("ai", "AI"), ("human", "Human"), ("mixed", "AI and human"), ("none", "None")]


class RightsFormMixin(forms.Form):
    licence = forms.ModelChoiceField(queryset=Licence.objects.order_by("position", "code"), required=False,
                                     empty_label="Personal (the default)", help_text="What buyers may do with it.")
    licence_attestation = forms.CharField(
        label="Your generation plan allows this licence", max_length=200, required=False,
        help_text="e.g. “made on a paid Suno Pro plan” — free-tier songs of most tools are never commercial.",
    )
    youtube_safe_attested = forms.BooleanField(
        label="YouTube-safe: not registered with Content ID, and I will not claim buyers’ videos", required=False,
    )
    ai_model_version = forms.CharField(label="Model version", max_length=60, required=False,
                                       help_text="e.g. v4.5, Allegro")
    human_contribution = forms.CharField(label="What a person did", max_length=500, required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for part in CREDIT_PARTS:
            self.fields[f"credit_{part}"] = forms.ChoiceField(label=part.capitalize(), choices=CREDIT_CHOICES,
                                                              required=False)

    @staticmethod
    def rights_initial(track):
        initial = {
            "licence": track.licence_id, "licence_attestation": track.licence_attestation,
            "youtube_safe_attested": track.youtube_safe_attested, "ai_model_version": track.ai_model_version,
            "human_contribution": track.human_contribution,
        }
        initial.update({f"credit_{part}": value for part, value in (track.ai_credits or {}).items()})
        return initial

    def credit_fields(self):
        return [self[f"credit_{part}"] for part in CREDIT_PARTS]

    def rights_data(self, data):
        """Fold the per-part credit fields into `ai_credits`; no licence chosen means the default."""
        credits = {part: data.pop(f"credit_{part}") for part in CREDIT_PARTS if data.get(f"credit_{part}")}
        for part in CREDIT_PARTS:
            data.pop(f"credit_{part}", None)
        data["ai_credits"] = credits
        if not data.get("licence"):
            data["licence"] = Licence.objects.filter(code=DEFAULT_LICENCE).first()
        return data

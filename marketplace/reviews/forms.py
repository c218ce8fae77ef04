"""The review form of the track page; saving happens in marketplace.reviews.services."""

from django import forms

from marketplace.reviews.models import Review


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Your rating", choices=Review.RATINGS, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5 stars."},
    )
    text = forms.CharField(
        label="Your review (optional)", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text or a little Markdown: **bold**, *italic*, lists and links.",
    )

"""The waitlist page's form; the API's serializer has the same two fields."""

from django import forms

from marketplace.models import WaitlistEntry


class WaitlistForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Your email",
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}))
    interest = forms.ChoiceField(choices=WaitlistEntry.Interest.choices, initial=WaitlistEntry.Interest.BUYER,
                                 label="I'm interested in", widget=forms.RadioSelect)

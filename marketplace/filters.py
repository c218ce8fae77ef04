"""The one track filter set, shared by /browse/ and the API's track list."""

import django_filters
from django import forms

from .catalog import GENRES, MOODS
from .models import Platform, Track

SORTS = [("newest", "Newest"), ("top", "Top"), ("trending", "Trending"), ("votes", "Most votes")]
SORT_ORDER = {
    "newest": ["-created_at", "-id"],
    "top": ["-score__score", "-id"],
    "trending": ["-score__trending", "-id"],
    "votes": ["-score__upvotes", "-id"],
}


class TrackFilter(django_filters.FilterSet):
    genre = django_filters.MultipleChoiceFilter(choices=GENRES, widget=forms.CheckboxSelectMultiple)
    mood = django_filters.MultipleChoiceFilter(
        field_name="moods", choices=MOODS, method="filter_moods", widget=forms.CheckboxSelectMultiple
    )
    platform = django_filters.ModelMultipleChoiceFilter(
        queryset=Platform.objects.all(), to_field_name="slug", widget=forms.CheckboxSelectMultiple
    )
    bpm_min = django_filters.NumberFilter(field_name="bpm", lookup_expr="gte", min_value=0, max_value=1000)
    bpm_max = django_filters.NumberFilter(field_name="bpm", lookup_expr="lte", min_value=0, max_value=1000)
    price_min = django_filters.NumberFilter(field_name="price", lookup_expr="gte", min_value=0, max_value=100000)
    price_max = django_filters.NumberFilter(field_name="price", lookup_expr="lte", min_value=0, max_value=100000)
    sort = django_filters.ChoiceFilter(choices=SORTS, method="filter_sort", empty_label=None)

    class Meta:
        model = Track
        fields = ["genre", "mood", "platform", "bpm_min", "bpm_max", "price_min", "price_max", "sort"]

    def filter_moods(self, queryset, name, value):
        return queryset.filter(moods__overlap=list(value)) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDER.get(value, SORT_ORDER["newest"]))

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORT_ORDER["newest"])
        return queryset

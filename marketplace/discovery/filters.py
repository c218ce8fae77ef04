"""The one track filter set, shared by /browse/ and the API's track list.

Invalid values (text for numbers, unknown choices, 10 KB strings) make the form
invalid for that field only: django-filter leaves the field out of the query and
the page shows the error beside it, so junk never becomes a 500.
"""

import hashlib

import django_filters
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from marketplace.analysis.vocabulary import KEYS
from marketplace.catalogue.vocabulary import GENRES, MOODS
from marketplace.discovery import selectors
from marketplace.discovery.terms import MAX_QUERY_LENGTH
from marketplace.licensing.models import AI_SUMMARIES, USE_CODES, USES
from marketplace.models import Platform, Track

SORTS = [("newest", "Newest"), ("top", "Top"), ("trending", "Trending"), ("votes", "Most votes"),
         ("rating", "Highest rated")]
SCORE_SORTS = {"top", "trending", "votes"}
DURATIONS = [("short", "Under 2 min"), ("medium", "2–4 min"), ("long", "Over 4 min")]
DURATION_RANGES = {"short": (None, 119), "medium": (120, 240), "long": (241, None)}
VIEWS = [("grid", "Grid"), ("list", "List")]
FACET_FIELDS = ("genre", "mood", "platform", "use", "youtube_safe", "ai")
CONJUNCTIVE_FACETS = {"use"}  # every chosen use must be allowed: counts keep the facet's own selection
YOUTUBE_SAFE = [("1", "YouTube-safe only")]
FACET_TTL = 300
FACET_REFRESH_TTL = 1800  # what discovery.tasks.refresh_facet_counts writes, every 10 minutes


class PlatformChoiceField(forms.ModelMultipleChoiceField):
    """Platforms by slug ("suno-ai", as browse's checkboxes send) or by name ("Suno AI", as the API shows it)."""

    def _check_values(self, value):
        known = {}
        for platform in self.queryset:
            known[platform.slug.lower()] = known[platform.name.lower()] = platform.pk
        wanted = set()
        for item in value:
            key = str(item).strip().lower()
            if key not in known:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": item})
            wanted.add(known[key])
        return self.queryset.filter(pk__in=wanted)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (BPM): `120.5` is invalid, not rounded."""

    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.STR)  # a slug or a name: the schema says string, not an id
class PlatformFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = PlatformChoiceField


class TrackFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Keywords", max_length=MAX_QUERY_LENGTH, widget=forms.TextInput
    )
    # distinct=False: these filters never join to many rows, and SELECT DISTINCT over every column is slow.
    genre = django_filters.MultipleChoiceFilter(choices=GENRES, widget=forms.CheckboxSelectMultiple, distinct=False)
    mood = django_filters.MultipleChoiceFilter(
        field_name="moods", choices=MOODS, method="filter_moods", widget=forms.CheckboxSelectMultiple, distinct=False
    )
    platform = PlatformFilter(
        field_name="platform__slug", queryset=Platform.objects.all(), to_field_name="slug",
        widget=forms.CheckboxSelectMultiple, distinct=False,
    )
    bpm_min = IntegerFilter(field_name="bpm", lookup_expr="gte", min_value=0, max_value=1000, label="BPM from")
    bpm_max = IntegerFilter(field_name="bpm", lookup_expr="lte", min_value=0, max_value=1000, label="BPM to")
    price_min = django_filters.NumberFilter(field_name="price", lookup_expr="gte", min_value=0, max_value=100000,
                                            label="Price from ($)")
    price_max = django_filters.NumberFilter(field_name="price", lookup_expr="lte", min_value=0, max_value=100000,
                                            label="Price to ($)")
    duration = django_filters.ChoiceFilter(choices=DURATIONS, method="filter_duration", empty_label="Any length",
                                           label="Length")
    use = django_filters.MultipleChoiceFilter(choices=USES, method="filter_uses", widget=forms.CheckboxSelectMultiple,
                                              label="Licence allows", distinct=False)
    youtube_safe = django_filters.ChoiceFilter(choices=YOUTUBE_SAFE, method="filter_youtube_safe",
                                               label="YouTube-safe")
    ai = django_filters.ChoiceFilter(choices=AI_SUMMARIES, field_name="ai_summary", label="AI credits")
    key = django_filters.ChoiceFilter(choices=KEYS, method="filter_key", empty_label="Any key", label="Key")
    sort = django_filters.ChoiceFilter(choices=SORTS, method="filter_sort", empty_label=None, label="Sort by")

    class Meta:
        model = Track
        fields = ["q", "genre", "mood", "platform", "bpm_min", "bpm_max", "price_min", "price_max", "duration",
                  "use", "youtube_safe", "ai", "key", "sort"]

    def filter_key(self, queryset, name, value):
        """The key the creator gave, or else the one the analyser detected."""
        return queryset.filter(Q(key=value) | Q(key="", analysis__key=value)) if value else queryset

    def filter_text(self, queryset, name, value):
        """The search page's matching (genres, moods, tools and creators by any spelling, then full text)."""
        value = selectors.clean_query(value)
        return selectors.match_text(queryset, value) if value else queryset

    def filter_moods(self, queryset, name, value):
        return queryset.filter(moods__overlap=list(value)) if value else queryset

    def filter_uses(self, queryset, name, value):
        """Tracks whose licence allows every chosen use."""
        return queryset.filter(**{f"licence__{use}": True for use in value if use in USE_CODES})

    def filter_youtube_safe(self, queryset, name, value):
        return queryset.filter(youtube_safe_attested=True, youtube_claim_upheld=False) if value == "1" else queryset

    def filter_duration(self, queryset, name, value):
        low, high = DURATION_RANGES.get(value, (None, None))
        if low is not None:
            queryset = queryset.filter(duration__gte=low)
        if high is not None:
            queryset = queryset.filter(duration__lte=high)
        return queryset

    def filter_sort(self, queryset, name, value):
        if value in SCORE_SORTS:
            # Every track has a score row (voting creates it with the track); the inner join lets
            # PostgreSQL walk the score index instead of sorting the whole filtered set.
            queryset = queryset.filter(score__isnull=False)
        return queryset.ordered(value)

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.ordered("newest")
        return queryset

    @property
    def current_sort(self):
        return (self.form.cleaned_data.get("sort") if self.is_bound else None) or "newest"

    def state_key(self, without=()):
        """A short, stable key for the valid filters in force (page, view and sort excluded)."""
        self.form.is_valid()
        parts = []
        for name in sorted(self.filters):
            if name in ("sort", *without):
                continue
            value = self.form.cleaned_data.get(name)
            if value in (None, "", [], ()):
                continue
            if hasattr(value, "model") or isinstance(value, (list, tuple)):
                # The submitted slugs name the same choice as the cleaned objects, without a query.
                raw = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
                value = sorted(raw if isinstance(raw, (list, tuple)) else [raw])
            parts.append(f"{name}={value}")
        return hashlib.sha1("&".join(parts).encode()).hexdigest()[:20]

    def _queryset_without(self, name):
        """The filtered queryset ignoring one facet's own selection (standard faceting); a conjunctive
        facet keeps its own, so each count is what ticking one more box would leave."""
        data = self.data.copy()
        if name not in CONJUNCTIVE_FACETS:
            data.pop(name, None)
        data.pop("sort", None)  # counts do not depend on the order (and a score sort adds a join)
        other = type(self)(data, queryset=self.queryset)
        return other.qs.order_by()

    def facet_counts(self, names=FACET_FIELDS):
        """{"genre": {slug: n}, "mood": {...}, "platform": {...}}, cached per filter state for FACET_TTL.

        Each facet counts with every other filter applied but its own, so picking "Jazz"
        still shows how many Rock tracks there are. A miss costs one aggregate query per
        facet; hits cost one Redis GET for all three.
        """
        keys = {name: key for name, key in self._facet_keys().items() if name in names}
        found = cache.get_many(keys.values())
        counts, missing = {}, {}
        for name, key in keys.items():
            if key in found:
                counts[name] = found[key]
            else:
                counts[name] = self._count_facet(name)
                missing[key] = counts[name]
        if missing:
            cache.set_many(missing, FACET_TTL)
        return counts

    def _facet_keys(self):
        return {
            name: f"facets:{name}:{self.state_key(without=() if name in CONJUNCTIVE_FACETS else (name,))}"
            for name in FACET_FIELDS
        }

    def refresh_facet_counts(self, ttl, skip=()):
        """Count every facet of this filter state now and store them for `ttl` (the Celery task's
        way of keeping popular states warm). Returns the keys it wrote; `skip` keys are not recounted."""
        written = {key: self._count_facet(name) for name, key in self._facet_keys().items() if key not in skip}
        cache.set_many(written, ttl)
        return set(written)

    def _count_facet(self, name):
        queryset = self._queryset_without(name)
        if name == "genre":
            rows = queryset.values("genre").annotate(n=Count("id")).values_list("genre", "n")
            return dict(rows)
        if name == "mood":
            totals = queryset.aggregate(**{slug: Count("id", filter=Q(moods__contains=[slug])) for slug, _ in MOODS})
            return {slug: n for slug, n in totals.items() if n}
        if name == "use":
            allowed = {use: Count("id", filter=Q(**{f"licence__{use}": True})) for use in USE_CODES}
            totals = queryset.aggregate(**allowed)
            return {use: n for use, n in totals.items() if n}
        if name == "youtube_safe":
            n = queryset.filter(youtube_safe_attested=True, youtube_claim_upheld=False).count()
            return {"1": n} if n else {}
        if name == "ai":
            rows = queryset.exclude(ai_summary="").values("ai_summary").annotate(n=Count("id"))
            return dict(rows.values_list("ai_summary", "n"))
        rows = queryset.values("platform__slug").annotate(n=Count("id")).values_list("platform__slug", "n")
        return dict(rows)

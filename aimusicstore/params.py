"""Query parameters of the API: one rule, and the OpenAPI document says it.

A parameter sent is a parameter meant (as Stripe answers it): a value that is not what the schema
describes is a 400 whose `fields` names the parameter, never quietly ignored or replaced by the
default. That covers text for a number, `0.5` for a whole number, `maybe` for a boolean, a choice not
on the list, a number out of range, and an empty value (`?bpm_min=`): leave a parameter out to get
its default. Only free-text parameters (`q`) and `cursor=` (start paging by cursor) take an empty value.

Two places apply the rule, and both answer alike:
- `QUERY` below: the parameters views read themselves (`days`, `limit`, `unread`, a review list's
  `sort`), through `query_value`; `aimusicstore.schema` writes the same specs into the document.
- `ApiFilterBackend`, the API's django-filter backend: every filter's own form validates its value
  (and the schema takes the bounds from the same filter, `ApiFilterExtension`); this backend adds the
  empty-value refusal the forms would let through as "no filter".
"""

import re

from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework.exceptions import ValidationError

EMPTY = "Enter a value, or leave the parameter out."
WHOLE = "Enter a whole number"
INTEGER = re.compile(r"^-?[0-9]{1,12}$")

# The schema of each parameter a view reads itself, as the document shows it and query_value enforces it.
QUERY = {
    "days": {"type": "integer", "minimum": 1, "maximum": 365, "default": 30},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    "unread": {"type": "boolean", "default": False},
}


def check(name, raw, spec=None):
    """`raw` (a query string value, or what an MCP tool was given) as `spec` says, else a 400 naming `name`."""
    spec = spec or QUERY[name]
    text = "" if raw is None else str(raw)
    if text == "" and spec.get("type") != "string":
        raise ValidationError({name: [EMPTY]})
    kind = spec.get("type")
    if kind == "integer":
        low, high = spec.get("minimum"), spec.get("maximum")
        if not INTEGER.match(text) or not (low is None or int(text) >= low) or not (high is None or int(text) <= high):
            bounds = f" from {low} to {high}" if low is not None and high is not None else ""
            raise ValidationError({name: [f"{WHOLE}{bounds}."]})
        return int(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValidationError({name: ["Enter true or false."]})
        return text == "true"
    if "enum" in spec and text not in spec["enum"]:
        raise ValidationError({name: [f"Choose one of: {', '.join(spec['enum'])}."]})
    return text


def query_value(request, name, spec=None):
    """The parameter's value (its schema default when it is absent), or a 400 naming it."""
    spec = spec or QUERY[name]
    if name not in request.query_params:
        return spec.get("default")
    return check(name, request.query_params[name], spec)


def text_filter(filter_field):
    """Whether a filter takes free text, where an empty value is a value (it matches everything)."""
    return isinstance(filter_field, filters.CharFilter)


class ApiFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend (a filter's invalid value is a 400 naming it), and an empty value is refused too."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = {name: [EMPTY] for name, filter_field in filterset_class.base_filters.items()
                     if not text_filter(filter_field) and "" in request.query_params.getlist(name)}
            if empty:
                raise ValidationError(empty)
        return super().filter_queryset(request, queryset, view)


class ApiFilterExtension(DjangoFilterExtension):
    """The schema of each filter parameter with the bounds its form field enforces (min/max value, max length)."""

    target_class = "aimusicstore.params.ApiFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        extra = filter_field.extra
        for parameter in parameters:
            schema = parameter["schema"].get("items", parameter["schema"])
            if extra.get("min_value") is not None:
                schema["minimum"] = extra["min_value"]
            if extra.get("max_value") is not None:
                schema["maximum"] = extra["max_value"]
            if extra.get("max_length") is not None and schema.get("type") == "string":
                schema["maxLength"] = extra["max_length"]
            if not text_filter(filter_field) and schema.get("type") == "string" and "enum" not in schema:
                schema["minLength"] = 1
        return parameters

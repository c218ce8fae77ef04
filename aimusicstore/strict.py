"""Request bodies as JSON (and the OpenAPI document) state them: DRF's friendly coercions refused.

DRF turns `0` into `false`, `"5"` into `5`, `5` into `"5"`, an integer into a UUID, and measures a text's
length after trimming its whitespace. The schema states one JSON type per field and a `maxLength` of
what is sent, and a client that sends otherwise has a bug it should hear about (Stripe and GitHub answer
such a request with a 400 too): `JsonInput` checks each field's JSON type, and a text's length as sent,
before DRF's own validation and answers a 400 naming the fields at fault. Every API input serializer
takes it first among its bases. `null` and missing fields are left to DRF (`allow_null`, `required`),
and `JSONField`s to their own validation.
"""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

TEXT = (serializers.CharField, serializers.UUIDField, serializers.DateTimeField, serializers.DateField,
        serializers.TimeField, serializers.DurationField)


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def expected_type(field):
    """The JSON type `field` takes, as a word for the error message (None: any)."""
    if isinstance(field, serializers.BooleanField):
        return "true or false"
    if isinstance(field, serializers.IntegerField):
        return "a whole number"
    if isinstance(field, serializers.FloatField):
        return "a number"
    if isinstance(field, serializers.DecimalField):
        as_string = getattr(field, "coerce_to_string", None)
        as_string = api_settings.COERCE_DECIMAL_TO_STRING if as_string is None else as_string
        return "a string such as \"1.99\"" if as_string else "a number"
    if isinstance(field, serializers.MultipleChoiceField | serializers.ListField):
        return "a list"
    if isinstance(field, serializers.ChoiceField):
        kinds = {type(value) for value in field.choices}
        return "a whole number" if kinds and kinds <= {int} else "a string"
    if isinstance(field, TEXT):
        return "a string"
    if isinstance(field, serializers.DictField):
        return "an object"
    return None


def json_type_ok(field, value):
    if value is None or value is empty or getattr(field, "read_only", False):
        return True
    kind = expected_type(field)
    if kind is None:
        return True
    if kind == "true or false":
        return isinstance(value, bool)
    if kind == "a whole number":
        return _number(value) and float(value).is_integer()
    if kind == "a number":
        return _number(value)
    if kind == "a list":
        child = getattr(field, "child", None)
        if isinstance(field, serializers.MultipleChoiceField):
            child = serializers.ChoiceField(choices=field.choices)
        return isinstance(value, list) and (child is None or all(json_type_ok(child, item) for item in value))
    if kind == "an object":
        return isinstance(value, dict) and all(json_type_ok(field.child, item) for item in value.values())
    return isinstance(value, str)


def too_long(field, value):
    """A text longer than the field's max_length as sent (DRF would measure it trimmed), in a list too."""
    if isinstance(field, serializers.ListField) and isinstance(value, list) and field.child is not None:
        return any(too_long(field.child, item) for item in value)
    limit = getattr(field, "max_length", None)
    return isinstance(field, serializers.CharField) and isinstance(value, str) and limit is not None \
        and len(value) > limit


def _json_name(value):
    if isinstance(value, bool):
        return "true or false"
    if _number(value):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "something else"


class JsonInput:
    """First base of an input serializer: each field's value must be of its JSON type, else a 400 naming it."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for field in self._writable_fields:
                value = data.get(field.field_name, empty)
                if not json_type_ok(field, value):
                    errors[field.field_name] = [f"Expected {expected_type(field)}, not {_json_name(value)}."]
                elif too_long(field, value):
                    limit = getattr(field, "max_length", None) or field.child.max_length
                    errors[field.field_name] = [f"Ensure this field has no more than {limit} characters."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

"""The API's JSON parser: DRF's, with a nesting bound (a RecursionError was a 500)."""

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _depth(value):
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with a nesting bound."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {settings.MAX_JSON_DEPTH} levels.") from None
        if _depth(data) > settings.MAX_JSON_DEPTH:
            raise ParseError(f"JSON nested deeper than {settings.MAX_JSON_DEPTH} levels.")
        return data

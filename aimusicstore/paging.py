"""Paging for pages and the API: counts and offsets capped so they never grow with the table.

Every API list also pages by cursor: `?cursor=` (empty) starts, and each answer's `next` (also a
`Link: <…>; rel="next"` header) carries on. The first cursor request keeps the list's order as it
stood (up to CURSOR_CAP ids, for CURSOR_TTL) and later pages read that order, so votes that move
tracks up or down meanwhile neither repeat nor skip one. Objects are still fetched through the
view's own queryset, so a track hidden meanwhile drops out and nobody sees what they may not.
"""

import math
import re
import secrets

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

PAGE_SIZE = 24
MAX_PAGES = 100  # deeper than page 100 nobody browses; it would cost an OFFSET of 2,400+ rows
COUNT_TTL = 60
CURSOR_TTL = 3600
CURSOR_CAP = 10_000
CURSOR_PATTERN = r"^(|[A-Za-z0-9_-]{16}\.[0-9]{1,7})$"  # empty (start), or `next`'s token.offset
CURSOR_FORMAT = re.compile(r"^([A-Za-z0-9_-]{16})\.([0-9]{1,7})$")
PAGING_PARAMS = ("page", "per_page", "cursor")


class CursorNotFound(NotFound):
    """404 `cursor_not_found`, with `fields.cursor` saying why, as a 400 names its parameter."""

    def __init__(self, message):
        super().__init__(message, "cursor_not_found")
        self.fields = {"cursor": [message]}


class Pagination(PageNumberPagination):
    """`{"<items>": [...], "total", "page", "pages"}`, 24 a page like /browse/."""

    page_size = PAGE_SIZE
    page_size_query_param = "per_page"
    max_page_size = 100
    items_key = "tracks"

    def paginate_queryset(self, queryset, request, view=None):
        """A page or page size that is not a whole number in range is a 400 naming the parameter, not a guess."""
        errors = {}
        for name, high in (("page", None), ("per_page", self.max_page_size)):
            raw = request.query_params.get(name)
            if raw is None:
                continue
            if not raw.isdigit() or int(raw) < 1 or (high and int(raw) > high):
                errors[name] = [f"Enter a whole number from 1{f' to {high}' if high else ''}."]
        if errors:
            raise ValidationError(errors)
        self.request = request
        self.cursor = None
        if "cursor" in request.query_params:
            return self._cursor_page(queryset, request)
        return super().paginate_queryset(queryset, request, view)

    @staticmethod
    def _scope(request):
        """What a cursor belongs to: the path and every parameter but the paging ones."""
        params = sorted((k, v) for k, vs in request.query_params.lists() if k not in PAGING_PARAMS for v in vs)
        return f"{request.path}?{params}"

    def _cursor_page(self, queryset, request):
        raw = request.query_params["cursor"]
        per_page = self.get_page_size(request)
        if raw == "":
            token, offset = secrets.token_urlsafe(12), 0
            snapshot = {"scope": self._scope(request), "ids": list(queryset.values_list("pk", flat=True)[:CURSOR_CAP])}
            cache.set(f"cursor:{token}", snapshot, CURSOR_TTL)
        else:
            match = CURSOR_FORMAT.match(raw)
            if not match:
                raise ValidationError({"cursor": ["Not a cursor we gave out: start with cursor= (empty)."]})
            token, offset = match.group(1), int(match.group(2))
            snapshot = cache.get(f"cursor:{token}")
            # A well-formed cursor that names no list we hold is a page that is not there (any more): 404.
            if snapshot is None:
                raise CursorNotFound(f"This cursor has expired (they last {CURSOR_TTL // 60} minutes) or was "
                                     "never given out: start again with cursor= (empty).")
            if snapshot["scope"] != self._scope(request):
                raise CursorNotFound("This cursor belongs to another list or other filters: start again with "
                                     "cursor= (empty).")
        ids = snapshot["ids"]
        chosen = ids[offset:offset + per_page]
        found = {obj.pk: obj for obj in queryset.filter(pk__in=chosen)}
        following = offset + per_page
        self.cursor = {
            "total": len(ids), "page": offset // per_page + 1, "pages": max(1, math.ceil(len(ids) / per_page)),
            "next": f"{token}.{following}" if following < len(ids) else None,
        }
        return [found[pk] for pk in chosen if pk in found]

    def get_next_link(self):
        if self.cursor is not None:
            if self.cursor["next"] is None:
                return None
            return replace_query_param(self.request.build_absolute_uri(), "cursor", self.cursor["next"])
        return super().get_next_link()

    def get_paginated_response(self, data):
        if self.cursor is not None:
            total, page, pages = self.cursor["total"], self.cursor["page"], self.cursor["pages"]
        else:
            total, page, pages = self.page.paginator.count, self.page.number, self.page.paginator.num_pages
        following = self.get_next_link()
        response = Response({self.items_key: data, "total": total, "page": page, "pages": pages, "next": following})
        if following:
            response["Link"] = f'<{following}>; rel="next"'
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        parameters.append({
            "name": "cursor", "in": "query", "required": False,
            "schema": {"type": "string", "pattern": CURSOR_PATTERN, "maxLength": 40},
            "description": "Page by cursor instead of page number: empty to start, then follow `next`. "
                           "The order is kept as it stood at the start, so moving votes neither repeat nor "
                           f"skip an item; a cursor lasts {CURSOR_TTL // 60} minutes (after that, or sent "
                           "with another list or other filters, it is a 404 `cursor_not_found`: start again).",
        })
        return parameters

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": [self.items_key, "total", "page", "pages", "next"],
            "properties": {
                self.items_key: schema,
                "total": {"type": "integer", "example": 61},
                "page": {"type": "integer", "example": 1},
                "pages": {"type": "integer", "example": 3},
                "next": {"type": "string", "format": "uri", "nullable": True,
                         "description": "The next page (by number, or by cursor when you sent one); "
                                        "null on the last. Also in the `Link` header.",
                         "example": "https://aimusicstore.example/api/v1/tracks?cursor=Qk3vT9xLp2aZ8mWc.24"},
            },
        }


class CappedPaginator(Paginator):
    """Counts at most ``max_pages`` pages' worth of rows, so neither COUNT nor OFFSET grows with the table."""

    def __init__(self, object_list, per_page=PAGE_SIZE, max_pages=MAX_PAGES, cache_key=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = per_page * max_pages
        self.cache_key = cache_key

    @cached_property
    def count(self):
        def capped():
            return self.object_list.order_by()[: self.cap + 1].count()

        n = cache.get_or_set(f"count:{self.cache_key}", capped, COUNT_TTL) if self.cache_key else capped()
        return min(n, self.cap + 1)

    @property
    def capped(self):
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        return max(1, -(-min(self.count, self.cap) // self.per_page))

    def get_page(self, number):
        """Like Paginator.get_page, but a page past the end is a 404-worthy EmptyPage for junk numbers."""
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return self.page(number)

    def validate_number(self, number):
        if isinstance(number, str) and len(number) > 12:
            raise PageNotAnInteger("Page number is too long")
        return super().validate_number(number)

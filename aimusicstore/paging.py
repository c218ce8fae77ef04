"""Paging for pages and the API: counts and offsets capped so they never grow with the table."""

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

PAGE_SIZE = 24
MAX_PAGES = 100  # deeper than page 100 nobody browses; it would cost an OFFSET of 2,400+ rows
COUNT_TTL = 60

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
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response({
            self.items_key: data,
            "total": self.page.paginator.count,
            "page": self.page.number,
            "pages": self.page.paginator.num_pages,
        })

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": [self.items_key, "total", "page", "pages"],
            "properties": {
                self.items_key: schema,
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
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

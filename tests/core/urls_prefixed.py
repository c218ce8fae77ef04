"""The store's URLs under /prefixed/ (tests/core/test_url_tag.py swaps it in)."""

from django.urls import include, path

urlpatterns = [path("prefixed/", include("aimusicstore.urls"))]

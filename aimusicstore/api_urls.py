"""/api/v1/: each app contributes its own endpoints."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("marketplace.api_urls")),
    path("", include("voting.api_urls")),
]

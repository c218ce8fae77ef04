"""/api/v1/: each app contributes its own endpoints; the schema and docs are served from here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("marketplace.api_urls")),
    path("", include("voting.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from aimusicstore import views
from marketplace.listening.views import media

handler500 = "aimusicstore.degrade.server_error"

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include("aimusicstore.api_urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("voting.urls")),
    path("", include("marketplace.urls")),
]

if settings.DEBUG or settings.TESTING:
    # Local media only, with range requests so audio seeks; production media lives on S3-compatible storage.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media, name="media")]

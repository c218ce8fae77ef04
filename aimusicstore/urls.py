from django.contrib import admin
from django.urls import include, path, re_path

from accounts.staff_access import admin_login
from aimusicstore import views
from aimusicstore.mcp.transport import mcp_endpoint
from marketplace.listening.views import media

handler500 = "aimusicstore.degrade.server_error"

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include("aimusicstore.api_urls")),
    re_path(r"^mcp/?$", mcp_endpoint, name="mcp"),  # AI agents' door (Model Context Protocol)
    path("admin/login/", admin_login, name="admin-login"),  # the site's limited login, then TOTP
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("voting.urls")),
    path("", include("marketplace.urls")),
]

# Local media with range requests so audio seeks; the view answers 404 when media lives on S3
# (settings.SERVE_MEDIA). Behind nginx (docker-compose) /media/ is served before it gets here.
urlpatterns += [re_path(r"^media/(?P<path>.*)$", media, name="media")]

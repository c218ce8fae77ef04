from django.urls import path

from . import views

app_name = "marketplace"
urlpatterns = [
    path("", views.home, name="home"),
    path("trending/", views.trending, name="trending"),
    path("top/", views.top, name="top"),
    path("top/<str:period>/", views.top, name="top-period"),
    path("browse/", views.browse, name="browse"),
    path("tracks/<int:pk>/", views.track_detail, name="track-detail"),
    path("tracks/<int:pk>/<slug:slug>/", views.track_detail, name="track-detail-slug"),
    path("tools/<int:pk>/", views.tool_detail, name="tool-detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
]

from django.urls import path

from . import listening, views

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
    path("listen/tracks/<int:pk>/play/", listening.count_play, name="track-play"),
    path("listen/tracks/<int:pk>/waveform/", listening.waveform, name="track-waveform"),
    path("embed/tracks/<int:pk>/", listening.embed_track, name="embed-track"),
]

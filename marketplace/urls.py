from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from . import buying, earnings, feeds, listening, studio, views
from .sitemaps import SITEMAPS

app_name = "marketplace"
urlpatterns = [
    path("", views.home, name="home"),
    path("trending/", views.trending, name="trending"),
    path("top/", views.top, name="top"),
    path("top/<str:period>/", views.top, name="top-period"),
    path("browse/", views.browse, name="browse"),
    path("tracks/<int:pk>/favourite/", studio.favourite, name="favourite"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
    path("tracks/<int:pk>/", views.track_detail, name="track-detail"),
    path("tracks/<int:pk>/buy/", buying.buy, name="buy"),  # before the slug route, which would swallow "buy"
    path("tracks/<int:pk>/<slug:slug>/", views.track_detail, name="track-detail-slug"),
    path("tools/<int:pk>/", views.tool_detail, name="tool-detail"),
    path("dashboard/", studio.dashboard, name="dashboard"),
    path("dashboard/upload/", studio.upload, name="studio-upload"),
    path("dashboard/tracks/<int:pk>/edit/", studio.edit, name="studio-edit"),
    path("dashboard/tracks/<int:pk>/delete/", studio.delete, name="studio-delete"),
    path("dashboard/analytics/", studio.analytics_page, name="studio-analytics"),
    path("dashboard/analytics.csv", studio.analytics_csv, name="studio-analytics-csv"),
    path("how-buying-works/", buying.how_buying_works, name="how-buying-works"),
    path("dashboard/earnings/", earnings.earnings, name="earnings"),
    path("dashboard/earnings/payout/", earnings.request_payout, name="request-payout"),
    path("listen/tracks/<int:pk>/play/", listening.count_play, name="track-play"),
    path("listen/tracks/<int:pk>/waveform/", listening.waveform, name="track-waveform"),
    path("embed/tracks/<int:pk>/", listening.embed_track, name="embed-track"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", cache_page(3600)(sitemap_views.index), {"sitemaps": SITEMAPS,
         "sitemap_url_name": "marketplace:sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", cache_page(3600)(sitemap_views.sitemap), {"sitemaps": SITEMAPS},
         name="sitemap-section"),
    path("feeds/new/", feeds.NewReleasesFeed(), name="feed-new"),
    path("feeds/new/atom/", feeds.NewReleasesAtomFeed(), name="feed-new-atom"),
    path("feeds/top/", feeds.WeeklyTopFeed(), name="feed-top"),
    path("feeds/top/atom/", feeds.WeeklyTopAtomFeed(), name="feed-top-atom"),
]

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "marketplace"
urlpatterns = [
    path("", views.home, name="home"),
    path("trending/", views.trending, name="trending"),
    path("top/", views.top, name="top"),
    path("top/<str:period>/", views.top, name="top-period"),
    path("browse/", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
    path("tracks/<int:pk>/", views.track_detail, name="track-detail"),
    path("tracks/<int:pk>/<slug:slug>/", views.track_detail, name="track-detail-slug"),
    path("tools/<int:pk>/", views.tool_detail, name="tool-detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
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

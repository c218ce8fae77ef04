from django.urls import path

from . import affiliate_api, api

urlpatterns = [
    path("affiliate/postback", affiliate_api.AffiliatePostback.as_view(), name="affiliate-postback"),
    path("trending", api.TrendingView.as_view(), name="api-trending"),
    path("top/<str:period>", api.TopView.as_view(), name="api-top"),
    path("tracks", api.TrackListView.as_view(), name="api-tracks"),
    path("tracks/<int:pk>", api.TrackDetailView.as_view(), name="api-track"),
    path("tracks/<int:pk>/purchase-click", api.PurchaseClickView.as_view(), name="api-purchase-click"),
    path("tools", api.ToolListView.as_view(), name="api-tools"),
    path("tools/<int:pk>", api.ToolDetailView.as_view(), name="api-tool"),
    path("waitlist/count", api.WaitlistCountView.as_view(), name="api-waitlist-count"),
    path("waitlist", api.WaitlistJoinView.as_view(), name="api-waitlist"),
    path("discovery/discover", api.DiscoverView.as_view(), name="api-discover"),
    path("discovery/stats", api.DiscoveryStatsView.as_view(), name="api-discovery-stats"),
    path("admin/tracks", api.AdminTrackListView.as_view(), name="api-admin-tracks"),
    path("admin/tracks/<int:pk>", api.AdminTrackDeleteView.as_view(), name="api-admin-track"),
]

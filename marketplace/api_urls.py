"""The marketplace's API routes under /api/v1/, each feature's API views side by side."""

from django.urls import path

from marketplace.analysis import api as analysis
from marketplace.catalogue import api as catalogue
from marketplace.discovery import api as discovery
from marketplace.purchases import api as purchases
from marketplace.studio import api as studio
from marketplace.waitlist import api as waitlist

urlpatterns = [
    path("trending", discovery.TrendingView.as_view(), name="api-trending"),
    path("top/<str:period>", discovery.TopView.as_view(), name="api-top"),
    path("discovery/discover", discovery.DiscoverView.as_view(), name="api-discover"),
    path("discovery/stats", discovery.DiscoveryStatsView.as_view(), name="api-discovery-stats"),
    path("tracks", catalogue.TrackListView.as_view(), name="api-tracks"),
    path("tracks/<int:pk>", catalogue.TrackDetailView.as_view(), name="api-track"),
    path("tools", catalogue.ToolListView.as_view(), name="api-tools"),
    path("tools/<int:pk>", catalogue.ToolDetailView.as_view(), name="api-tool"),
    path("admin/tracks", catalogue.AdminTrackListView.as_view(), name="api-admin-tracks"),
    path("admin/tracks/<int:pk>", catalogue.AdminTrackDeleteView.as_view(), name="api-admin-track"),
    path("tracks/<int:pk>/similar", analysis.SimilarTracksView.as_view(), name="api-track-similar"),
    path("tracks/<int:pk>/purchase-click", purchases.PurchaseClickView.as_view(), name="api-purchase-click"),
    path("affiliate/postback", purchases.AffiliatePostback.as_view(), name="affiliate-postback"),
    path("me/tracks", studio.MyTracksView.as_view(), name="api-my-tracks"),
    path("me/analytics", studio.MyAnalyticsView.as_view(), name="api-my-analytics"),
    path("waitlist/count", waitlist.WaitlistCountView.as_view(), name="api-waitlist-count"),
    path("waitlist", waitlist.WaitlistJoinView.as_view(), name="api-waitlist"),
]

"""The marketplace's API routes under /api/v1/, each feature's API views side by side."""

from django.urls import path

from marketplace.analysis import api as analysis
from marketplace.catalogue import api as catalogue
from marketplace.discovery import api as discovery
from marketplace.licensing import api as licensing
from marketplace.moderation import api as moderation
from marketplace.notifications import api as notifications
from marketplace.playlists import api as playlists
from marketplace.purchases import api as purchases
from marketplace.reviews import api as reviews
from marketplace.studio import api as studio
from marketplace.waitlist import api as waitlist
from marketplace.webhooks import api as webhooks

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
    path("me/purchases", licensing.MyPurchasesView.as_view(), name="api-my-purchases"),
    path("waitlist/count", waitlist.WaitlistCountView.as_view(), name="api-waitlist-count"),
    path("waitlist", waitlist.WaitlistJoinView.as_view(), name="api-waitlist"),
    path("me/notifications", notifications.MyNotificationsView.as_view(), name="api-my-notifications"),
    path("me/notifications/read", notifications.MarkNotificationsReadView.as_view(), name="api-notifications-read"),
    path("reports", moderation.ReportView.as_view(), name="api-reports"),
    path("tracks/<int:pk>/reviews", reviews.TrackReviewsView.as_view(), name="api-track-reviews"),
    path("reviews/<int:pk>", reviews.ReviewDetailView.as_view(), name="api-review"),
    path("reviews/<int:pk>/helpful", reviews.ReviewHelpfulView.as_view(), name="api-review-helpful"),
    path("playlists", playlists.PlaylistListView.as_view(), name="api-playlists"),
    path("playlists/<int:pk>", playlists.PlaylistDetailView.as_view(), name="api-playlist"),
    path("playlists/<int:pk>/tracks", playlists.PlaylistTracksView.as_view(), name="api-playlist-tracks"),
    path("playlists/<int:pk>/tracks/<int:track_id>", playlists.PlaylistTrackView.as_view(),
         name="api-playlist-track"),
    path("webhooks", webhooks.WebhookListView.as_view(), name="api-webhooks"),
    path("webhooks/<int:pk>", webhooks.WebhookDetailView.as_view(), name="api-webhook"),
    path("webhooks/<int:pk>/secret", webhooks.WebhookSecretView.as_view(), name="api-webhook-secret"),
    path("webhooks/<int:pk>/deliveries", webhooks.DeliveryListView.as_view(), name="api-webhook-deliveries"),
    path("webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver", webhooks.RedeliverView.as_view(),
         name="api-webhook-redeliver"),
]

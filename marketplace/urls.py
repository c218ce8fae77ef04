"""The marketplace's pages: one list of routes, each feature's views side by side."""

from django.urls import path

from marketplace.discovery import feeds, sitemaps
from marketplace.discovery import views as discovery
from marketplace.discovery.sitemaps import SITEMAPS
from marketplace.legal import views as legal
from marketplace.licensing import views as licensing
from marketplace.listening import views as listening
from marketplace.moderation import views as moderation
from marketplace.newsletter import views as newsletter
from marketplace.notifications import views as notifications
from marketplace.payouts import views as payouts
from marketplace.playlists import views as playlists
from marketplace.purchases import views as purchases
from marketplace.reviews import views as reviews
from marketplace.studio import views as studio
from marketplace.waitlist import views as waitlist

app_name = "marketplace"
urlpatterns = [
    # discovery
    path("", discovery.home, name="home"),
    path("trending/", discovery.trending, name="trending"),
    path("top/", discovery.top, name="top"),
    path("top/<str:period>/", discovery.top, name="top-period"),
    path("browse/", discovery.browse, name="browse"),
    path("search/", discovery.search, name="search"),
    path("search/suggest/", discovery.search_suggest, name="search-suggest"),
    path("tracks/<int:pk>/", discovery.track_detail, name="track-detail"),
    # Actions on a track come before the slug route, which would swallow "buy" and "favourite".
    path("tracks/<int:pk>/buy/", purchases.buy, name="buy"),
    path("tracks/<int:pk>/favourite/", listening.favourite, name="favourite"),
    path("tracks/<int:pk>/reviews/", reviews.reviews, name="track-reviews"),
    path("tracks/<int:pk>/review/", reviews.review, name="track-review"),
    path("tracks/<int:pk>/report-claim/", licensing.report_claim, name="report-claim"),
    path("tracks/<int:pk>/<slug:slug>/", discovery.track_detail, name="track-detail-slug"),
    path("tools/", discovery.tools, name="tools"),
    path("tools/<int:pk>/", discovery.tool_detail, name="tool-detail"),
    path("robots.txt", discovery.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.sitemap_index, {"sitemaps": SITEMAPS,
         "sitemap_url_name": "marketplace:sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap_section, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("feeds/new/", feeds.NewReleasesFeed(), name="feed-new"),
    path("feeds/new/atom/", feeds.NewReleasesAtomFeed(), name="feed-new-atom"),
    path("feeds/top/", feeds.WeeklyTopFeed(), name="feed-top"),
    path("feeds/top/atom/", feeds.WeeklyTopAtomFeed(), name="feed-top-atom"),
    # listening
    path("listen/tracks/<int:pk>/play/", listening.count_play, name="track-play"),
    path("listen/tracks/<int:pk>/waveform/", listening.waveform, name="track-waveform"),
    path("embed/tracks/<int:pk>/", listening.embed_track, name="embed-track"),
    # reviews
    path("reviews/<int:pk>/delete/", reviews.delete_review, name="review-delete"),
    path("reviews/<int:pk>/helpful/", reviews.helpful, name="review-helpful"),
    # playlists
    path("playlists/", playlists.my_playlists, name="playlists"),
    path("playlists/menu/", playlists.menu, name="playlist-menu"),
    path("playlists/add/", playlists.add_track, name="playlist-add"),
    path("playlists/<int:pk>/", playlists.detail, name="playlist-detail"),
    path("playlists/<int:pk>/edit/", playlists.edit, name="playlist-edit"),
    path("playlists/<int:pk>/delete/", playlists.delete, name="playlist-delete"),
    path("playlists/<int:pk>/tracks/<int:track_id>/move/", playlists.move_track, name="playlist-move"),
    path("playlists/<int:pk>/tracks/<int:track_id>/remove/", playlists.remove_track, name="playlist-remove"),
    path("embed/playlists/<int:pk>/", playlists.embed, name="embed-playlist"),
    # purchases
    path("how-buying-works/", purchases.how_buying_works, name="how-buying-works"),
    # terms and privacy
    path("legal/terms/", legal.terms, name="legal-terms"),
    path("legal/privacy/", legal.privacy, name="legal-privacy"),
    path("dashboard/earnings/", purchases.earnings, name="earnings"),
    path("dashboard/earnings/payout/", purchases.request_payout, name="request-payout"),
    # licensing, receipts and payout destinations
    path("licences/<slug:code>/", licensing.licence_detail, name="licence-detail"),
    path("account/purchases/", licensing.purchases, name="purchases"),
    path("account/purchases/<int:pk>/", licensing.receipt, name="receipt"),
    path("dashboard/earnings/payout-method/", payouts.payout_method, name="payout-method"),
    # studio
    path("dashboard/", studio.dashboard, name="dashboard"),
    path("dashboard/upload/", studio.upload, name="studio-upload"),
    path("dashboard/tracks/<int:pk>/edit/", studio.edit, name="studio-edit"),
    path("dashboard/tracks/<int:pk>/delete/", studio.delete, name="studio-delete"),
    path("dashboard/analytics/", studio.analytics_page, name="studio-analytics"),
    path("dashboard/analytics.csv", studio.analytics_csv, name="studio-analytics-csv"),
    # notifications, waitlist, newsletter
    path("account/notifications/", notifications.notifications, name="notifications"),
    path("account/notifications/read/", notifications.mark_read, name="notifications-read"),
    path("waitlist/", waitlist.waitlist, name="waitlist"),
    path("waitlist/confirm/<str:token>/", waitlist.confirm, name="waitlist-confirm"),
    path("newsletter/unsubscribe/<str:token>/", newsletter.unsubscribe, name="newsletter-unsubscribe"),
    # moderation
    path("reports/", moderation.report, name="report"),
    path("dashboard/tracks/<int:pk>/appeal/", moderation.appeal, name="moderation-appeal"),
]

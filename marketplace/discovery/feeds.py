"""RSS 2.0 and Atom feeds of new releases and the weekly top, for feed readers and bots."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from marketplace.models import Track
from voting import rankings


class NewReleasesFeed(Feed):
    """Titles carry settings.SITE_NAME; links are made absolute with the Sites row's domain."""

    link = "/browse/?sort=newest"
    heading = "new releases"

    def title(self):
        return f"{settings.SITE_NAME} — {self.heading}"

    def description(self):
        return f"The newest AI-made tracks on {settings.SITE_NAME}."

    def items(self):
        return Track.objects.published().for_listing().order_by("-created_at", "-id")[:30]

    def item_title(self, item):
        return f"{item.title} — {item.artist}"

    def item_description(self, item):
        return f"{item.get_genre_display()} · {item.bpm or '?'} BPM · ${item.price} on {item.platform.name}"

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.artist

    def item_categories(self, item):
        return [item.get_genre_display(), *item.tags[:5]]


class WeeklyTopFeed(NewReleasesFeed):
    link = "/top/weekly/"
    heading = "top tracks this week"

    def description(self):
        return "The 50 highest-voted AI-made tracks of the last seven days."

    def items(self):
        return rankings.cached_top_tracks("weekly", 50)


class NewReleasesAtomFeed(NewReleasesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class WeeklyTopAtomFeed(WeeklyTopFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

"""sitemap.xml sections: static pages, tracks, tools and creators."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from accounts.models import User
from marketplace.models import Tool, Track


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return ["marketplace:home", "marketplace:browse", "marketplace:trending", "marketplace:top"]

    def location(self, item):
        return reverse(item)


class TrackSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 10_000

    def items(self):
        return Track.objects.published().only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class ToolSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Tool.objects.only("id").order_by("id")


class CreatorSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return User.objects.filter(is_active=True, tracks__status=Track.Status.PUBLISHED).distinct().only(
            "id", "handle").order_by("id")


SITEMAPS = {"pages": PageSitemap, "tracks": TrackSitemap, "tools": ToolSitemap, "creators": CreatorSitemap}

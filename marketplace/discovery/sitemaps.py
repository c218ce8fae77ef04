"""sitemap.xml sections: static pages, tracks, tools and creators."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse

from accounts.models import User
from aimusicstore.pagecache import cache_for_visitors
from marketplace.models import Tool, Track


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return ["marketplace:home", "marketplace:browse", "marketplace:trending", "marketplace:top",
                "marketplace:tools", "accounts:creators"]

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


# Stored like the visitor pages (not cache_page), so a hidden track leaves the sitemap at once.
@cache_for_visitors(ttl=3600)
def sitemap_index(request, **kwargs):
    return sitemap_views.index(request, **kwargs)


@cache_for_visitors(ttl=3600)
def sitemap_section(request, **kwargs):
    return sitemap_views.sitemap(request, **kwargs)

from django.contrib import admin

from marketplace.playlists.models import Playlist, PlaylistItem


class PlaylistItemInline(admin.TabularInline):
    model = PlaylistItem
    raw_id_fields = ["track"]
    extra = 0


@admin.register(Playlist)
class PlaylistAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "is_public", "updated_at"]
    list_filter = ["is_public"]
    search_fields = ["title", "owner__email"]
    raw_id_fields = ["owner"]
    inlines = [PlaylistItemInline]

"""`{% cover_img track "card" %}`: a track's cover as an `<img>` with srcset, sizes, width and height.

Each place a cover is shown names its slot below: the rendered size (CSS px) at each width, which
is what `sizes` tells the browser, and the width/height attributes that reserve its box before it
loads. Covers are lazy unless `eager` says the slot is among the first on screen; `priority` marks
the likely LCP image (fetchpriority="high", never lazy).
"""

from django import template
from django.utils.html import format_html, format_html_join

from marketplace.catalogue import covers

register = template.Library()

# slot: (sizes, the width/height attributes, the most CSS px it is ever shown at). Keep in step with
# static/css: site.css (rows, cards, hero, search, track page), player.css (embed), studio.css.
SLOTS = {
    "row": ("48px", 48, 48),  # chart rows, playlists, the studio
    "search": ("(max-width: 720px) 56px, 72px", 72, 72),
    "card": ("(max-width: 720px) calc(50vw - 1.5rem), 260px", 300, 340),
    "hero": ("(max-width: 720px) calc(33vw - 1rem), 200px", 200, 240),
    "detail": ("(max-width: 720px) min(calc(100vw - 2rem), 420px), (max-width: 1240px) 42vw, 520px", 600, 520),
    "embed": ("(max-width: 420px) 72px, 134px", 134, 134),
}


def _attributes(track, slot):
    sizes, side, largest = SLOTS[slot]
    return sizes, side, covers.srcset(track, largest)


@register.simple_tag
def cover_img(track, slot, alt="", css_class="", position=None, eager=0, priority=None):
    """The cover's `<img>`. In a list, `position` (forloop.counter) and `eager` (how many lead the
    first screen) make the first ones load at once and the first of all the LCP candidate;
    `priority=True` marks a lone LCP image (the track page's)."""
    sizes, side, srcset = _attributes(track, slot)
    leading = bool(position and eager and position <= eager)
    if priority is None:
        priority = leading and position == 1
    attrs = [("src", track.cover.url)]
    if srcset:
        attrs += [("srcset", srcset), ("sizes", sizes)]
    if css_class:
        attrs.append(("class", css_class))
    attrs += [("alt", alt), ("width", side), ("height", side)]
    if priority:
        attrs.append(("fetchpriority", "high"))
    elif not leading:
        attrs += [("loading", "lazy"), ("decoding", "async")]
    return format_html("<img {}>", format_html_join(" ", '{}="{}"', attrs))


@register.simple_tag
def cover_preload(track, slot):
    """`<link rel="preload">` for a cover that is the page's LCP image (the track page's), in <head>."""
    if not track.cover:
        return ""
    sizes, _side, srcset = _attributes(track, slot)
    if not srcset:
        return format_html('<link rel="preload" as="image" href="{}" fetchpriority="high">', track.cover.url)
    return format_html('<link rel="preload" as="image" imagesrcset="{}" imagesizes="{}" fetchpriority="high">',
                       srcset, sizes)


@register.simple_tag
def cover_thumb_url(track, width=96):
    """The smallest thumbnail at least `width` px wide (the player's 48 px cover), or the cover itself."""
    return covers.thumbnail_url(track, width)

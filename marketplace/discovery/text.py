"""Text shown on discovery pages: highlighted matches, snippets, and descriptions as safe Markdown."""

import re

import markdown as markdown_lib
import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe

MARKDOWN_MARKUP = re.compile(r"[*_`#>]+|\]\([^)]*\)|\[")

MARKDOWN_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3",
                 "h4", "hr"}


def highlight(text, query):
    """HTML-escape ``text`` and wrap each word that starts with a query term in <mark>."""
    escaped = escape(text or "")
    terms = [re.escape(escape(t)) for t in re.findall(r"\w{2,}", query or "")[:8]]
    if not terms:
        return mark_safe(escaped)
    pattern = re.compile(r"\b(" + "|".join(terms) + r")\w*", re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))


def snippet(text, query, width=180):
    """A short excerpt of ``text`` around the first query term, highlighted."""
    text = MARKDOWN_MARKUP.sub("", " ".join((text or "").split()))
    terms = re.findall(r"\w{2,}", query or "")
    start = 0
    for term in terms:
        found = text.lower().find(term.lower())
        if found >= 0:
            start = max(0, found - width // 3)
            break
    excerpt = text[start:start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return highlight(prefix + excerpt + suffix, query) if excerpt else ""


def render_markdown(text):
    """Markdown to HTML with every raw HTML tag and attribute outside a small allow-list removed."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html, tags=MARKDOWN_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )
    return mark_safe(cleaned)

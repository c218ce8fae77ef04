"""`{% stylesheets %}`: the site's stylesheets, as one bundled file where collectstatic made it.

Production (whitenoise's manifest storage) serves css/bundle.css, the nine files joined in
aimusicstore/staticstorage.py; `make run` and the tests link the nine files themselves.
"""

from django import template
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.utils.html import format_html_join

from aimusicstore.staticstorage import BUNDLE, STYLESHEETS

register = template.Library()


def _bundled():
    if not hasattr(staticfiles_storage, "stored_name"):
        return False
    try:
        staticfiles_storage.stored_name(BUNDLE)
    except ValueError:  # not in the manifest: collected before the bundle existed
        return False
    return True


@register.simple_tag
def stylesheets():
    names = [BUNDLE] if _bundled() else STYLESHEETS
    return format_html_join("\n  ", '<link rel="stylesheet" href="{}">', ((static(name),) for name in names))

"""`{% url %}` as Django's, with each answer reversed once per process.

A page reverses the same few names many times: every card's sign-in link, Buy link and vote
form. On a first-visit track page that was about 80 reverse() calls, each a walk of the URL
patterns, with only a dozen distinct answers. The patterns do not change while a process runs,
and every path converter the store uses turns its value into the URL with `str()`, so a URL is
fixed by the view name, the arguments' strings, the current app, the script prefix and the
URLconf: that is the key, and the answer is kept. A test that swaps ROOT_URLCONF empties it.

A builtin (settings.TEMPLATES), so every template's `{% url %}` is this one; the models' get_absolute_url
use `reverse` from here too.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.html import conditional_escape

register = Library()

MAX_KEPT = 20_000  # past this the store starts again: track pages alone have a URL per track
_kept = {}


def reverse(viewname, args=(), kwargs=None, current_app=None):
    """Django's reverse(), each answer kept for the life of the process (see above); models'
    get_absolute_url use it too."""
    key = (viewname, tuple(str(arg) for arg in args), tuple((k, str(v)) for k, v in (kwargs or {}).items()),
           current_app, get_script_prefix(), get_urlconf())
    url = _kept.get(key)
    if url is None:
        url = django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = url
    return url


class KeptURLNode(URLNode):
    """Django's URLNode.render with the kept reverse()."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _kept.clear()

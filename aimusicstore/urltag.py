"""`{% url %}` as Django's, with each answer reversed once per process.

A page reverses the same few names many times: every card's sign-in link, Buy link and vote
form. On a first-visit track page that was about 80 reverse() calls, each a walk of the URL
patterns, with only a dozen distinct answers. The patterns do not change while a process runs,
and every path converter the store uses turns its value into the URL with `str()`, so a URL is
fixed by the view name, the arguments' strings, the current app, the script prefix and the
URLconf: that is the key, and the answer is kept. A test that swaps ROOT_URLCONF empties it.

A builtin (settings.TEMPLATES), so every template's `{% url %}` is this one.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf

register = Library()

MAX_KEPT = 20_000  # past this the store starts again: track pages alone have a URL per track
_kept = {}


def _current_app(context):
    request = getattr(context, "request", None)
    if request is None:
        return None
    current_app = getattr(request, "current_app", None)
    if current_app is None and getattr(request, "resolver_match", None) is not None:
        current_app = request.resolver_match.namespace
    return current_app


class KeptURLNode(URLNode):
    def render(self, context):
        key = (
            self.view_name.resolve(context),
            tuple(str(arg.resolve(context)) for arg in self.args),
            tuple((name, str(value.resolve(context))) for name, value in self.kwargs.items()),
            _current_app(context), get_script_prefix(), get_urlconf(), bool(context.autoescape), self.asvar,
        )
        if key not in _kept:
            output = super().render(context)
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = context[self.asvar] if self.asvar else output
        if self.asvar:
            context[self.asvar] = _kept[key]
            return ""
        return _kept[key]


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _kept.clear()

"""`{% notifications_link %}`: the header's link to the centre with the unread count.

Only ever rendered for a signed-in member: base.html calls it inside `user.is_authenticated`,
and pages rendered for the shared visitor cache have an anonymous user, so no count can be
stored in a cache entry that others are served.
"""

from django import template

from marketplace.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("marketplace/notifications/header_link.html", takes_context=True)
def notifications_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "rendering_for_visitors", False):
        return {"show": False}
    return {"show": True, "unread": unread_count(user)}

"""`{% notifications_link %}`: the header's link to the centre with the unread count.

Only ever rendered for a signed-in member: base.html calls it inside `user.is_authenticated`.
A page rendered for the shared cache shows a count of none in its member version and leaves a
`{% personal "notifications" %}` hole that each member's own count fills when the page is served
(aimusicstore/personal.py), so no count is ever stored in an entry others are served.
"""

from django import template

from marketplace.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("marketplace/notifications/header_link.html", takes_context=True)
def notifications_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "rendering_for_visitors", False):
        # Rendered for storage, the count is a hole each member's own fills (aimusicstore/personal.py).
        return {"show": False, "unread": 0, "request": request}
    return {"show": True, "unread": unread_count(user), "request": request}

from django import template

from voting.selectors import vote_state

register = template.Library()


@register.simple_tag(takes_context=True)
def vote_state_for(context, target):
    """The weighted score, raw counts and the viewer's own vote on a track or tool."""
    return vote_state(context.get("request"), target)


@register.inclusion_tag("voting/partials/vote_standing.html")
def creator_vote_standing(creator):
    """The creator's votes split into counted / discounted / held (why, not how)."""
    from voting.selectors import creator_vote_standing as standing

    return {"standing": standing(creator)}

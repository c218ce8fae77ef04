from django import template

from marketplace.money import percent
from marketplace.purchases import affiliate

register = template.Library()


@register.filter
def buy_offer(track):
    """`{% with offer=track|buy_offer %}`: price, platform, creator and the commission split."""
    return affiliate.offer_for(track)


@register.filter
def buy_percent(rate):
    """0.2250 -> 22.5"""
    return percent(rate)

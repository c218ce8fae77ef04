"""Every page's `{% url %}` is the kept one (aimusicstore.urltag): the same links as Django's reverse()."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

TEMPLATE = Template(
    "{% for pk in ids %}<a href=\"{% url 'marketplace:buy' pk %}\">{% url 'marketplace:track-detail' pk=pk %}</a>"
    "{% endfor %}|{% url 'account_login' %}?next={{ next|urlencode }}"
    "|{% url 'marketplace:browse' as browse %}<a href=\"{{ browse }}?q=&lt;\">{{ browse }}</a>"
)


def test_each_link_is_what_reverse_gives_however_many_times_it_is_rendered():
    for ids in ([1, 2, 3], [3, 2, 1, 40]):
        html = TEMPLATE.render(Context({"ids": ids, "next": "/tracks/1/"}))
        expected = "".join(f'<a href="{reverse("marketplace:buy", args=[pk])}">'
                           f'{reverse("marketplace:track-detail", kwargs={"pk": pk})}</a>' for pk in ids)
        browse = reverse("marketplace:browse")
        assert html == (f"{expected}|{reverse('account_login')}?next=/tracks/1/"
                        f'|<a href="{browse}?q=&lt;">{browse}</a>')


def test_a_name_that_does_not_reverse_still_fails_loudly_unless_it_is_kept_as_a_variable():
    with pytest.raises(NoReverseMatch):
        Template("{% url 'marketplace:buy' %}").render(Context())
    assert Template("{% url 'marketplace:buy' as nothing %}[{{ nothing }}]").render(Context()) == "[]"


def test_a_urlconf_swapped_in_a_test_is_not_answered_from_the_old_one():
    before = Template("{% url 'marketplace:home' %}").render(Context())
    with override_settings(ROOT_URLCONF="tests.core.urls_prefixed"):
        assert Template("{% url 'marketplace:home' %}").render(Context()) == "/prefixed" + before
    assert Template("{% url 'marketplace:home' %}").render(Context()) == before

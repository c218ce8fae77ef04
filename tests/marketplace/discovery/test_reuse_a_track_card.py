"""A visitor's track card is drawn once and copied into every page that shows it, and it looks
exactly as a card drawn for that page would: its own login links, its current score, its
creator's current name. A signed-in member never gets a copied card."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django_redis import get_redis_connection

from marketplace.discovery import cards
from tests.factories import TrackFactory, UserFactory
from voting.models import TrackScore
from voting.services import cast_vote

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<article class="track-card">.*?</article>', re.S)


def kept_cards():
    return list(get_redis_connection("default").scan_iter(cache.make_key(f"{cards.KEY_PREFIX}*")))


def forget_pages():
    """Drop the stored pages but keep the cards, so the next visit renders its page from kept cards."""
    redis = get_redis_connection("default")
    for key in redis.scan_iter(cache.make_key("pagecache:page:*")):
        redis.delete(key)


def forget_cards():
    redis = get_redis_connection("default")
    for key in kept_cards():
        redis.delete(key)


def cards_on(url):
    return CARD.findall(Client().get(url).text)


def test_a_card_copied_into_another_page_is_the_card_that_page_would_draw():
    TrackFactory.create_batch(3, genre="ambient")
    cards_on("/browse/?genre=ambient")
    assert len(kept_cards()) == 3

    forget_pages()
    copied = cards_on("/browse/?genre=ambient&sort=new&bpm_min=1")
    forget_pages()
    forget_cards()
    drawn = cards_on("/browse/?genre=ambient&sort=new&bpm_min=1")

    assert copied == drawn and len(copied) == 3
    # Its login links bring the visitor back to the page they were on, not the page it was first drawn for.
    assert "next=/browse/%3Fgenre%3Dambient%26sort%3Dnew%26bpm_min%3D1" in copied[0]
    assert "next=/browse/%3Fgenre%3Dambient\"" not in copied[0]


def test_a_new_score_shows_on_the_card_at_once():
    track = TrackFactory(genre="ambient")
    before = cards_on("/browse/?genre=ambient")[0]
    TrackScore.objects.filter(track=track).update(upvotes=1, score=1.0)  # as a vote or the recompute moves it
    forget_pages()  # the stored page lags by its ttl; the card in it does not
    after = cards_on("/browse/?genre=ambient")[0]
    assert "0 up · 0 down" in before and "1 up · 0 down" in after


def test_a_renamed_creator_shows_on_the_card_at_once():
    track = TrackFactory(genre="ambient", artist="Lumen")
    creator = track.creator
    cards_on("/browse/?genre=ambient")
    creator.display_name = "Lumen Works"
    creator.save()
    card = cards_on("/browse/?genre=ambient")[0]
    assert "(listed by" not in card and creator.get_absolute_url() in card
    assert creator.display_name in Client().get(track.get_absolute_url()).text


def test_a_member_never_gets_a_visitors_card(client):
    track = TrackFactory(genre="ambient")
    cards_on("/browse/?genre=ambient")
    member = UserFactory()
    client.force_login(member)
    cast_vote(member, track, 1)
    card = CARD.findall(client.get("/browse/?genre=ambient").text)[0]
    assert 'name="csrfmiddlewaretoken"' in card and 'aria-pressed="true"' in card
    assert "Log in to upvote" not in card
    for key in kept_cards():
        assert b"csrfmiddlewaretoken" not in get_redis_connection("default").get(key)


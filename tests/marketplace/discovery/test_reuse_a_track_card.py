"""A track card is drawn once and copied into every page that shows it, and it looks exactly as a
card drawn for that page would: its own links back, its current score, its creator's current name,
and for a member their own votes, hearts and playlists. No member's state or token is ever kept."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django_redis import get_redis_connection

from aimusicstore import pagecache
from marketplace.discovery import cards
from marketplace.models import Favourite
from marketplace.playlists.models import Playlist
from tests.factories import TrackFactory, UserFactory
from voting.models import TrackScore
from voting.services import cast_vote

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
CARD = re.compile(r'<article class="track-card">.*?</article>', re.S)


def kept_cards():
    return list(get_redis_connection("default").scan_iter(cache.make_key(f"{cards.KEY_PREFIX}*")))


def forget_pages():
    """Drop the stored pages but keep the cards, so the next visit renders its page from kept cards."""
    redis = get_redis_connection("default")
    for key in redis.scan_iter(cache.make_key(f"{pagecache.KEY_PREFIX}*")):
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


def test_a_members_page_made_from_kept_cards_is_the_page_drawn_for_them(client):
    voted = TrackFactory(genre="ambient", title="Paper Orbit")
    hearted = TrackFactory(genre="ambient", title="Glass Tide")
    member = UserFactory()
    cast_vote(member, voted, 1)
    Favourite.objects.create(user=member, track=hearted)
    Playlist.objects.create(owner=member, title="Night drive", is_public=False)
    client.force_login(member)
    assert client.get("/browse/?genre=ambient")["X-Page-Cache"] == "member-miss"
    assert len(kept_cards()) == 2  # the member version's cards, with their holes

    forget_pages()
    copied = client.get("/browse/?genre=ambient&sort=new")
    forget_pages()
    forget_cards()
    drawn = client.get("/browse/?genre=ambient&sort=new")

    assert copied["X-Page-Cache"] == drawn["X-Page-Cache"] == "member-miss"
    assert TOKEN.sub("", copied.text) == TOKEN.sub("", drawn.text)
    assert "Remove your upvote from Paper Orbit" in copied.text and "Remove Glass Tide from favourites" in copied.text
    assert "Night drive" in copied.text
    assert 'name="next" value="/browse/?genre=ambient&amp;sort=new"' in copied.text
    for key in kept_cards():
        assert b"Night drive" not in get_redis_connection("default").get(key)


def test_a_member_never_gets_a_visitors_card_nor_keeps_her_own(client):
    track = TrackFactory(genre="ambient")
    cards_on("/browse/?genre=ambient")
    member = UserFactory(display_name="Alice Quill")
    Playlist.objects.create(owner=member, title="Alices secret mix", is_public=False)
    client.force_login(member)
    cast_vote(member, track, 1)
    card = CARD.findall(client.get("/browse/?genre=ambient").text)[0]
    assert 'name="csrfmiddlewaretoken"' in card and f'aria-label="Remove your upvote from {track.title}"' in card
    assert "Log in to upvote" not in card and "Alices secret mix" in card
    placeholder = pagecache.CSRF_PLACEHOLDER.encode()
    for key in kept_cards():  # what is kept is drawn for nobody: nothing of hers, no token but the placeholder
        kept = get_redis_connection("default").get(key)
        assert b"Alice" not in kept and b"secret mix" not in kept
        assert set(re.findall(rb'name="csrfmiddlewaretoken" value="([^"]*)"', kept)) <= {placeholder}

"""Members get the one stored page with their own votes, hearts, follows, playlists, count and CSRF
token put in, and nothing of one member ever reaches a page served to another, even when many
members and visitors ask at once while the page is being stored."""

import re
import threading

import pytest
import requests
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from accounts.models import Follow
from marketplace.models import Favourite
from marketplace.notifications.services import notify
from marketplace.playlists.models import Playlist
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import Vote

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _world():
    creator = CreatorFactory(handle="makerofsongs", display_name="Maker")
    liked = TrackFactory(creator=creator, title="Paper Orbit")
    other = TrackFactory(creator=creator, title="Glass Tide")
    alice = UserFactory(display_name="Alice Quill", handle="alicequill")
    bob = UserFactory(display_name="Bob Vantablack", handle="bobvanta")
    Vote.objects.create(voter=alice, track=liked, value=1, weight=1.0)
    Vote.objects.create(voter=bob, track=other, value=-1, weight=1.0)
    Favourite.objects.create(user=alice, track=liked)
    Follow.objects.create(follower=alice, creator=creator)
    Playlist.objects.create(owner=alice, title="Alices secret mix", is_public=False)
    Playlist.objects.create(owner=bob, title="Bobs hidden list", is_public=False)
    for n in range(3):
        notify(alice, "review_received", title=f"Review {n}", email=False)
    return creator, liked, other, alice, bob


def _pages(creator, liked):
    return ["/", liked.get_absolute_url(), creator.get_absolute_url(), "/browse/"]


def _is_alices(text, liked):
    """What only Alice's page may say."""
    return {
        "her upvote": f"Remove your upvote from {liked.title}" in text,
        "her heart": f"Remove {liked.title} from favourites" in text,
        "her playlist": "Alices secret mix" in text,
        "her count": "3 unread" in text,
        "her name": "Alice Quill" in text or "alicequill" in text,
    }


def _is_bobs(text, other):
    return {
        "his downvote": f"Remove your downvote from {other.title}" in text,
        "his playlist": "Bobs hidden list" in text,
        "his name": "Bob Vantablack" in text or "bobvanta" in text,
    }


def _tokens_belong_to(text, secret):
    tokens = TOKEN.findall(text)
    return all(_unmask_cipher_token(token) == secret for token in tokens), len(tokens)


@pytest.mark.django_db
def test_each_member_sees_their_own_state_on_the_one_stored_page():
    creator, liked, other, alice, bob = _world()
    a, b, visitor = Client(), Client(), Client()
    a.force_login(alice)
    b.force_login(bob)
    for path in _pages(creator, liked):
        first = a.get(path)  # Alice first: her visit stores the page everyone is served
        assert first.status_code == 200 and first["X-Page-Cache"] == "member-miss", path
        assert "private" in first["Cache-Control"]
        second, third = b.get(path), visitor.get(path)
        # The visitor version is stored beside the member one, each rendered once by its first reader.
        assert second["X-Page-Cache"] == "member-hit" and third["X-Page-Cache"] == "miss", path
        assert visitor.get(path)["X-Page-Cache"] == "hit" and b.get(path)["X-Page-Cache"] == "member-hit", path
        assert not any(_is_alices(second.text, liked).values()), path
        assert not any(_is_alices(third.text, liked).values()), path
        assert not any(_is_bobs(first.text, other).values()), path
        assert "csrfmiddlewaretoken" not in third.text and "Log out" not in third.text
        assert "Log out" in first.text and "Log out" in second.text
        ok, count = _tokens_belong_to(second.text, b.cookies[settings.CSRF_COOKIE_NAME].value)
        assert ok and count, path
        ok, count = _tokens_belong_to(first.text, a.cookies[settings.CSRF_COOKIE_NAME].value)
        assert ok and count, path
    home = a.get("/").text
    assert f"Remove your upvote from {liked.title}" in home and f"Remove {liked.title} from favourites" in home
    assert "Alices secret mix" in home and 'aria-label="Notifications, 3 unread"' in home
    assert "Following ✓" in a.get(creator.get_absolute_url()).text
    assert "Following ✓" not in b.get(creator.get_absolute_url()).text
    assert f"Remove your downvote from {other.title}" in b.get("/").text


@pytest.mark.django_db
def test_a_members_message_and_a_tracks_own_creator_get_a_page_rendered_for_them():
    creator, liked, *_ = _world()
    owner = Client()
    owner.force_login(creator)
    Client().get(liked.get_absolute_url())
    page = owner.get(liked.get_absolute_url())
    assert "X-Page-Cache" not in page  # private for its creator: their notices, their own page
    listener = Client()
    listener.force_login(UserFactory())
    listener.get("/")
    listener.post(f"/votes/track/{liked.pk}/", {"value": "1", "next": "/"})  # leaves a message to show once
    page = listener.get("/")
    assert "X-Page-Cache" not in page and 'class="messages"' in page.text
    again = listener.get("/")
    assert again["X-Page-Cache"] == "member-hit" and 'class="messages"' not in again.text


@pytest.mark.django_db(transaction=True)
def test_no_member_state_or_token_crosses_over_under_concurrent_requests(live_server):
    creator, liked, other, alice, bob = _world()
    people = []
    for user in (alice, bob, None, None):
        client = Client()
        if user is not None:
            client.force_login(user)
            client.get("/accounts/login/")  # a CSRF cookie, as a browser would hold
        cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        people.append((user, cookies))
    paths = _pages(creator, liked)
    failures, answered = [], []
    barrier = threading.Barrier(16)

    def visit(n):
        user, cookies = people[n % len(people)]
        session = requests.Session()
        session.cookies.update(cookies)
        barrier.wait(timeout=60)
        for round_ in range(3):
            path = paths[(n + round_) % len(paths)]
            response = session.get(live_server.url + path, timeout=60)
            answered.append(response.headers.get("X-Page-Cache"))
            text = response.text
            if response.status_code != 200:
                failures.append((n, path, response.status_code))
                continue
            if user != alice and any(_is_alices(text, liked).values()):
                failures.append((n, path, "Alice's state", _is_alices(text, liked)))
            if user != bob and any(_is_bobs(text, other).values()):
                failures.append((n, path, "Bob's state", _is_bobs(text, other)))
            if user is None:
                if "csrfmiddlewaretoken" in text or "Log out" in text:
                    failures.append((n, path, "a member's form on a visitor's page"))
            else:
                secret = session.cookies.get(settings.CSRF_COOKIE_NAME)
                ok, count = _tokens_belong_to(text, secret)
                if not ok or not count:
                    failures.append((n, path, "someone else's CSRF token", count))
            if user == alice and path == "/" and "Alices secret mix" not in text:
                failures.append((n, path, "Alice lost her own state"))

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:5]
    assert len(answered) == 48 and "member-hit" in answered


@pytest.mark.django_db
def test_a_view_counts_once_whoever_asks_and_however_the_page_is_made():
    from marketplace.listening.services import flush_view_counts

    creator, liked, *_ = _world()
    owner, member, visitor = Client(), Client(), Client()
    owner.force_login(creator)
    member.force_login(UserFactory())
    assert "X-Page-Cache" not in owner.get(liked.get_absolute_url())  # a miss, and the page is the owner's
    answers = [member.get(liked.get_absolute_url())["X-Page-Cache"], visitor.get(liked.get_absolute_url())[
        "X-Page-Cache"], owner.get(liked.get_absolute_url()).get("X-Page-Cache")]
    assert answers == ["member-miss", "miss", None]  # the owner's own render stored nothing for others
    assert member.get(liked.get_absolute_url())["X-Page-Cache"] == "member-hit"
    assert visitor.get(liked.get_absolute_url())["X-Page-Cache"] == "hit"
    assert flush_view_counts() == 6


@pytest.mark.django_db
def test_a_members_forms_inside_tags_are_theirs_on_the_stored_page():
    """The claim form sits in an inclusion tag's own context: members get it, visitors the login link."""
    track = TrackFactory(title="Safe Harbour", youtube_safe_attested=True)
    member, other, visitor = Client(), Client(), Client()
    member.force_login(UserFactory())
    other.force_login(UserFactory())
    first, second = member.get(track.get_absolute_url()), other.get(track.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("member-miss", "member-hit")
    for client, page in ((member, first), (other, second)):
        assert "Report the claim" in page.text
        ok, count = _tokens_belong_to(page.text, client.cookies[settings.CSRF_COOKIE_NAME].value)
        assert ok and count
    page = visitor.get(track.get_absolute_url()).text
    assert "Report the claim" not in page and "Log in</a> to report it" in page


@pytest.mark.django_db
def test_a_members_spliced_page_is_what_their_own_render_would_be(monkeypatch):
    # The common states (a vote up or down, a heart, a follow) are stored ready-made beside the neutral
    # one; spliced for a member, the page must read exactly as the view renders it for them uncached.
    creator, liked, other, alice, bob = _world()
    Vote.objects.create(voter=alice, track=other, value=-1, weight=1.0)
    member = Client()
    member.force_login(alice)
    paths = _pages(creator, liked)
    for path in paths:
        member.get(path)  # stored
    spliced = {path: member.get(path) for path in paths}
    from aimusicstore import pagecache

    monkeypatch.setattr(pagecache.MemberPageMiddleware, "marked_view", staticmethod(lambda request: None))
    monkeypatch.setattr(pagecache.MemberHitMiddleware, "marked_view", lambda self, request: None)
    for path in paths:
        own = member.get(path)
        assert spliced[path]["X-Page-Cache"] == "member-hit" and "X-Page-Cache" not in own, path
        assert _lines(spliced[path].text) == _lines(own.text), path
    assert f"Remove your downvote from {other.title}" in spliced["/"].text


def _lines(text):
    """A page's lines but the blank ones (the splice leaves a few), its CSRF tokens taken out."""
    return [line for line in TOKEN.sub("", text).splitlines() if line.strip()]


@pytest.mark.django_db
def test_a_member_served_before_the_stack_gets_what_the_stack_would_serve(monkeypatch):
    # A stored page is served to a member in front of sessions and auth (MemberHitMiddleware): one query
    # for who they are and their state on it (and one for her playlists menu, as she has some), not a
    # query for her user row first. The page and its headers are the ones the stack would give.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aimusicstore import pagecache

    creator, liked, other, alice, bob = _world()
    member = Client()
    member.force_login(alice)
    paths = _pages(creator, liked)
    for path in paths:
        member.get(path)  # stored
    early, queries = {}, {}
    for path in paths:
        with CaptureQueriesContext(connection) as early_queries:
            early[path] = member.get(path)
        queries[path] = len(early_queries)
    monkeypatch.setattr(pagecache.MemberHitMiddleware, "marked_view", lambda self, request: None)
    for path in paths:
        with CaptureQueriesContext(connection) as late_queries:
            late = member.get(path)
        assert queries[path] == len(late_queries) - 1 and queries[path] <= 2, path
        assert early[path]["X-Page-Cache"] == late["X-Page-Cache"] == "member-hit", path
        assert _lines(early[path].text) == _lines(late.text), path
        per_response = ("Content-Length", "Set-Cookie", "X-Request-ID")
        same = {name: value for name, value in late.items() if name not in per_response}
        assert {name: early[path][name] for name in same} == same, path
        assert set(early[path].headers) - {"Set-Cookie"} == set(late.headers) - {"Set-Cookie"}, path
    assert "Alices secret mix" in early["/"].text and "3 unread" in early["/"].text
    ok, count = _tokens_belong_to(early["/"].text, member.cookies[settings.CSRF_COOKIE_NAME].value)
    assert ok and count


@pytest.mark.django_db
def test_a_session_that_is_no_longer_good_is_not_served_a_members_page():
    from accounts.models import User

    creator, liked, other, alice, bob = _world()
    laptop, phone, staff = Client(), Client(), Client()
    laptop.force_login(alice)
    phone.force_login(alice)
    assert phone.get("/")["X-Page-Cache"] == "member-miss" and laptop.get("/")["X-Page-Cache"] == "member-hit"
    alice.set_password("a whole new secret 42")  # changed on the phone: the laptop's session is signed out
    alice.save()
    bob_client = Client()
    bob_client.force_login(bob)
    bob_client.get("/")  # stored again (a saved member retires the stored pages)
    assert bob_client.get("/")["X-Page-Cache"] == "member-hit"
    page = laptop.get("/")
    assert "Alices secret mix" not in page.text and "Log out" not in page.text and "Log in" in page.text
    User.objects.filter(pk=bob.pk).update(is_active=False)  # suspended by moderation (a bulk update, no save)
    page = bob_client.get("/")
    assert "Bobs hidden list" not in page.text and "Log out" not in page.text
    staff.force_login(UserFactory(is_staff=True))
    assert "X-Page-Cache" not in staff.get("/")  # staff always get their own render


@pytest.mark.django_db
def test_a_members_browser_gets_their_own_page_gzipped_and_nobody_elses():
    # Browsers ask for gzip; a member's page is compressed for them alone (at a cheaper level than
    # GZipMiddleware's). Unzipped it is the page a member asking for plain bytes gets.
    import gzip

    creator, liked, other, alice, bob = _world()
    member, other_member = Client(), Client()
    member.force_login(alice)
    other_member.force_login(bob)
    browser = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    for path in _pages(creator, liked):
        member.get(path)  # stored
        plain, zipped = member.get(path), member.get(path, **browser)
        assert (plain["X-Page-Cache"], zipped["X-Page-Cache"]) == ("member-hit", "member-hit"), path
        assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"], path
        assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) / 3, path
        text = gzip.decompress(zipped.content).decode()
        assert _lines(text) == _lines(plain.text), path
        assert _tokens_belong_to(text, member.cookies[settings.CSRF_COOKIE_NAME].value)[0], path
        theirs = gzip.decompress(other_member.get(path, **browser).content).decode()
        assert not any(_is_alices(theirs, liked).values()), path
    home = gzip.decompress(member.get("/", **browser).content).decode()
    assert "3 unread" in home and "Alices secret mix" in home and f"Remove your upvote from {liked.title}" in home

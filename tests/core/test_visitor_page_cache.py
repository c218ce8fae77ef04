"""Signed-out visitors get stored pages: fast, yet each with their own CSRF token and never stale
after a change to the catalogue; signed-in users always see their own votes."""

import re

import pytest
from django.http import HttpResponse
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.urls import path

from accounts.services import revoke_key
from aimusicstore import pagecache
from aimusicstore.pagecache import cache_for_visitors
from marketplace.catalogue.services import remove_track, update_track
from marketplace.listening.services import flush_view_counts
from marketplace.models import TrackDailyStats
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from tests.helpers import client_with, key_for
from voting.models import Vote

pytestmark = pytest.mark.django_db
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


def csrf_token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_second_visitor_gets_the_stored_page_without_a_query(django_assert_num_queries):
    TrackFactory(title="Paper Orbit")
    first = Client().get("/")
    assert first["X-Page-Cache"] == "miss" and "Paper Orbit" in first.text
    with django_assert_num_queries(0):
        second = Client().get("/")
    assert second["X-Page-Cache"] == "hit" and second.text.count("Paper Orbit") == first.text.count("Paper Orbit")


def test_signed_out_pages_carry_no_csrf_token_so_a_stored_page_sets_no_cookie():
    track = TrackFactory(title="Paper Orbit")
    Client().get("/")
    page = Client().get("/")
    assert page["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in page.text and "csrftoken" not in page.cookies
    # Voting, hearts and follows are links to log in for a visitor.
    assert f'aria-label="Log in to upvote {track.title}"' in page.text


@cache_for_visitors()
def page_with_a_form(request):
    return render(request, "core_test_form.html")


RENDERS = []


@cache_for_visitors(ttl=0)  # due as soon as it is stored
def page_due_at_once(request):
    RENDERS.append(1)
    return HttpResponse(f"render {len(RENDERS)}")


@cache_for_visitors(ttl=30)
def page_counted(request):
    RENDERS.append(1)
    return HttpResponse(f"render {len(RENDERS)}")


urlpatterns = [path("form/", page_with_a_form), path("due/", page_due_at_once), path("counted/", page_counted)]


@pytest.fixture
def form_page(settings, tmp_path):
    (tmp_path / "core_test_form.html").write_text(
        '<form method="post" action="/form/">{% csrf_token %}<button>Send</button></form>'
        + "<p>Long enough a page to be worth compressing.</p>" * 5
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.ROOT_URLCONF = __name__


def test_a_stored_page_with_a_form_gets_each_visitor_their_own_working_token(form_page):
    Client().get("/form/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/form/")
    assert page["X-Page-Cache"] == "hit"
    token = csrf_token_in(page.text)
    assert pagecache.CSRF_PLACEHOLDER not in page.text
    assert "csrftoken" in page.cookies  # the cookie the token belongs to
    assert visitor.post("/form/", {"csrfmiddlewaretoken": token}).status_code == 200  # past the CSRF check
    assert visitor.post("/form/", {"csrfmiddlewaretoken": "forged" * 8}).status_code == 403
    assert csrf_token_in(Client().get("/form/").text) != token


def test_a_visitor_with_a_cookie_token_keeps_it(form_page):
    Client().get("/form/")
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/form/")
    cookie = visitor.cookies["csrftoken"].value
    page = visitor.get("/form/")
    assert page["X-Page-Cache"] == "hit"
    assert visitor.cookies["csrftoken"].value == cookie  # renewed as Django does, never replaced


def test_a_signed_in_listener_always_sees_their_own_votes():
    track = TrackFactory(title="Paper Orbit")
    Client().get(track.get_absolute_url())
    listener = UserFactory()
    Vote.objects.create(voter=listener, track=track, value=1, weight=1.0)
    client = Client()
    client.force_login(listener)
    page = client.get(track.get_absolute_url())
    assert page["X-Page-Cache"].startswith("member")  # the shared page, with their own vote put in
    assert "Remove your upvote from Paper Orbit" in page.text


def test_publishing_or_editing_a_track_retires_the_stored_pages():
    track = TrackFactory(title="Paper Orbit")
    Client().get("/")
    assert Client().get("/")["X-Page-Cache"] == "hit"
    update_track(track, {"title": "Glass Orbit"})
    page = Client().get("/")
    assert page["X-Page-Cache"] == "miss" and "Glass Orbit" in page.text and "Paper Orbit" not in page.text
    TrackFactory(title="Brand New Day")
    assert "Brand New Day" in Client().get("/").text


def test_a_new_sign_up_leaves_the_stored_pages_alone():
    from accounts.models import User

    TrackFactory()
    Client().get("/")
    password = "a-long-enough-passphrase-42"
    Client().post("/accounts/signup/", {"email": "new@example.test", "password1": password, "password2": password})
    assert User.objects.filter(email="new@example.test").exists()
    assert Client().get("/")["X-Page-Cache"] == "hit"


def test_hiding_a_track_takes_its_stored_page_down():
    track = TrackFactory(title="Paper Orbit")
    assert Client().get(track.get_absolute_url()).status_code == 200
    remove_track(track)
    response = Client().get(track.get_absolute_url())
    assert response.status_code == 404
    assert "Paper Orbit" not in response.text and "<title>Not found" in response.text


def test_a_view_served_from_the_store_is_still_counted():
    track = TrackFactory()
    for _ in range(3):
        Client().get(track.get_absolute_url(), HTTP_USER_AGENT=CHROME)
    flush_view_counts()
    assert TrackDailyStats.objects.get(track=track).views == 3


def test_each_visit_is_counted_once_whether_its_page_is_stored_retired_or_gzipped():
    track = TrackFactory()
    url = track.get_absolute_url()
    pages = [Client().get(url, HTTP_USER_AGENT=CHROME),  # rendered and stored: the view counts it
             Client().get(url, HTTP_USER_AGENT=CHROME, HTTP_ACCEPT_ENCODING="gzip")]  # counted as it is read
    pagecache.invalidate()
    # Stored but retired: counted as it is read (the gzipped copy), then rendered afresh, not counted again.
    pages += [Client().get(url, HTTP_USER_AGENT=CHROME, HTTP_ACCEPT_ENCODING="gzip"),
              Client().get(url, HTTP_USER_AGENT=CHROME)]
    assert [page.get("X-Page-Cache") for page in pages] == ["miss", "hit", "miss", "hit"]
    flush_view_counts()
    assert TrackDailyStats.objects.get(track=track).views == 4


def test_a_members_visits_are_counted_once_each_stored_or_not():
    track = TrackFactory()
    client = Client()
    client.force_login(UserFactory())
    pages = [client.get(track.get_absolute_url(), HTTP_USER_AGENT=CHROME) for _ in range(3)]
    assert [page["X-Page-Cache"] for page in pages] == ["member-miss", "member-hit", "member-hit"]
    flush_view_counts()
    assert TrackDailyStats.objects.get(track=track).views == 3


def test_an_htmx_swap_and_the_full_page_are_stored_apart():
    TrackFactory(title="Paper Orbit", genre="jazz")
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
    partial = Client().get("/browse/?genre=jazz", **headers)
    full = Client().get("/browse/?genre=jazz")
    assert "<html" not in partial.text and "<html" in full.text
    assert "<html" not in Client().get("/browse/?genre=jazz", **headers).text


def test_a_visitor_with_a_pending_message_gets_the_page_rendered_for_them():
    Client().get("/")
    client = Client()
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get("/")


def test_api_reads_are_stored_but_every_call_is_still_authenticated_and_counted(settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "starter": {"read": "5/min", "write": "2/min",
                                                                         "vote": "2/min"}}
    TrackFactory(title="Paper Orbit")
    owner = CreatorFactory()
    raw = key_for(owner)
    api = client_with(raw)
    answers = [api.get("/api/v1/tracks") for _ in range(3)]
    assert [a.json()["tracks"][0]["title"] for a in answers] == ["Paper Orbit"] * 3
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["4", "3", "2"]
    revoke_key(owner, owner.api_keys.get().pk)
    assert api.get("/api/v1/tracks").status_code == 401


def test_a_due_page_is_rendered_by_one_request_while_the_others_get_the_stored_copy(form_page):
    from django.core.cache import cache
    from django_redis import get_redis_connection

    RENDERS.clear()
    assert Client().get("/due/").text == "render 1"
    lock = cache.make_key(pagecache.VisitorPageCacheMiddleware.key(RequestFactory().get("/due/"))) + ":rendering"
    redis = get_redis_connection("default")
    redis.set(lock, 1)  # another process is rendering it right now
    stale = Client().get("/due/")
    assert (stale["X-Page-Cache"], stale.text) == ("hit", "render 1")
    redis.delete(lock)
    assert Client().get("/due/").text == "render 2"  # this request won the lock and rendered


BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_browser_gets_the_stored_page_gzipped_once_for_everybody_as_gzip_middleware_would():
    import gzip

    from django.core.cache import cache
    from django_redis import get_redis_connection

    TrackFactory(title="Paper Orbit")
    first = Client().get("/", **BROWSER)  # the render: stored plain and gzipped
    plain = Client().get("/")
    one, two = Client().get("/", **BROWSER), Client().get("/", **BROWSER)
    assert (first["X-Page-Cache"], plain["X-Page-Cache"], one["X-Page-Cache"]) == ("miss", "hit", "hit")
    assert "Content-Encoding" not in plain and "Paper Orbit" in plain.text
    assert one["Content-Encoding"] == "gzip" and "Accept-Encoding" in one["Vary"]
    assert gzip.decompress(one.content) == gzip.decompress(first.content) == plain.content
    assert one.content == two.content and int(one["Content-Length"]) == len(one.content) < len(plain.content) / 2
    key = pagecache.VisitorPageCacheMiddleware.key(RequestFactory().get("/")) + pagecache.GZIP_KEY_SUFFIX
    get_redis_connection("default").delete(cache.make_key(key))
    compressed_on_the_way = Client().get("/", **BROWSER)  # the copy gone: GZipMiddleware compresses the hit
    assert gzip.decompress(compressed_on_the_way.content) == plain.content
    per_response = ("Content-Length", "X-Request-ID")
    assert {k: v for k, v in compressed_on_the_way.items() if k not in per_response} == {
        k: v for k, v in one.items() if k not in per_response}


def test_a_page_with_a_form_is_gzipped_for_each_visitor_with_their_own_token(form_page):
    import gzip

    Client().get("/form/", **BROWSER)
    pages = [Client().get("/form/", **BROWSER) for _ in range(2)]
    assert all(page["X-Page-Cache"] == "hit" and page["Content-Encoding"] == "gzip" for page in pages)
    tokens = [csrf_token_in(gzip.decompress(page.content).decode()) for page in pages]
    assert tokens[0] != tokens[1] and pagecache.CSRF_PLACEHOLDER not in gzip.decompress(pages[0].content).decode()


def test_a_page_stored_again_by_another_process_is_served_at_once_not_this_ones_earlier_copy(form_page, monkeypatch):
    from django_redis import get_redis_connection

    RENDERS.clear()
    assert [Client().get("/counted/").text for _ in range(2)] == ["render 1", "render 1"]
    key = pagecache.VisitorPageCacheMiddleware.key(RequestFactory().get("/counted/"))
    entry = {"generation": pagecache.current_generation(), "status": 200, "headers": [], "private_for": frozenset(),
             "content": b"stored by another web process"}
    with monkeypatch.context() as elsewhere:  # that process has its own memory, so this one's copy stays as it was
        elsewhere.setattr(pagecache, "_near", pagecache.near_cache())
        pagecache._store(get_redis_connection("default"), key, entry, ttl=30)
    page = Client().get("/counted/")
    assert (page["X-Page-Cache"], page.text) == ("hit", "stored by another web process")


def test_a_page_gone_from_redis_is_rendered_afresh_though_this_process_read_it_before(form_page):
    from django.core.cache import cache
    from django_redis import get_redis_connection

    RENDERS.clear()
    assert [Client().get("/counted/").text for _ in range(2)] == ["render 1", "render 1"]
    get_redis_connection("default").delete(
        cache.make_key(pagecache.VisitorPageCacheMiddleware.key(RequestFactory().get("/counted/"))))
    page = Client().get("/counted/")
    assert (page["X-Page-Cache"], page.text) == ("miss", "render 2")
    pagecache.invalidate()
    assert Client().get("/counted/").text == "render 3"

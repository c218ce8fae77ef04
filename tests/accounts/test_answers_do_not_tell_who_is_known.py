"""Sign-up (web and API) and the waitlist (page and API) answer a known address exactly as a new one:
same status, same body shape, same headers, about the same time. Only the address's owner learns more,
by email."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from marketplace.models import WaitlistEntry
from marketplace.waitlist import services as waitlist
from tests.factories import CreatorFactory, TrackFactory
from tests.helpers import client_with

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unusual-pass-93"
# Headers whose values differ between any two requests: one id per request, and the caller's rate-limit
# counters, which every request (new or known address alike) moves by one. Their names must still match.
PER_REQUEST = ("x-request-id", "x-ratelimit-", "ratelimit")


def without_request_id(body):
    """An error body minus its request id, which differs per request by design."""
    error = dict(body.get("error", {}))
    error.pop("request_id", None)
    return {**body, "error": error} if "error" in body else body


def shape(response):
    """What a caller can compare: status, header names and values, body keys and value types."""
    headers = {k.lower(): ("…" if k.lower().startswith(PER_REQUEST) else v) for k, v in response.headers.items()}
    body = response.json() if "json" in response.headers.get("Content-Type", "") else None
    keys = {k: type(v).__name__ for k, v in body.items()} if isinstance(body, dict) else None
    return response.status_code, headers, keys


def same_shape(*responses):
    """Assert the responses look alike; on a difference, name the header or key that differs."""
    first, *others = [shape(r) for r in responses]
    for other in others:
        assert first[0] == other[0] and first[2] == other[2], (first, other)
        differing = {k: (first[1].get(k), other[1].get(k)) for k in first[1].keys() | other[1].keys()
                     if first[1].get(k) != other[1].get(k)}
        assert not differing, differing


def without_tokens(page, address=None):
    """A page's text without what differs per request (CSRF token, CSP nonce), and the address it echoes."""
    text = page.text.replace(address, "ADDRESS") if address else page.text
    return re.sub(r'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"', "", re.sub(r"\s+", " ", text))


def register(email, password=PASSWORD):
    return client_with().post("/api/v1/auth/register", {"email": email, "password": password, "name": "N"},
                              format="json")


def test_api_sign_up_answers_a_known_address_as_a_new_one():
    CreatorFactory(email="taken@example.test")
    mail.outbox.clear()
    taken, fresh = register("Taken@Example.test"), register("fresh@example.test")
    same_shape(taken, fresh)
    assert taken.status_code == 201 and set(taken.json()) == {"user_id"}
    # The known address's id belongs to no account, is not the owner's, and sits in the same sequence.
    owner = User.objects.get(email="taken@example.test")
    new = User.objects.get(email="fresh@example.test")
    assert taken.json()["user_id"] not in (owner.pk,) and not User.objects.filter(pk=taken.json()["user_id"]).exists()
    assert owner.pk < taken.json()["user_id"] < new.pk == fresh.json()["user_id"]
    assert User.objects.filter(email__iexact="taken@example.test").count() == 1
    assert owner.check_password("correct-horse-42")  # the owner's account is untouched
    # Each address's owner hears of it: a confirmation link for the new one, a warning for the known one.
    by_address = {m.to[0].lower(): m for m in mail.outbox}
    assert set(by_address) == {"taken@example.test", "fresh@example.test"}
    assert "confirm-email" in by_address["fresh@example.test"].body
    assert "confirm-email" not in by_address["taken@example.test"].body
    assert "password/reset" in by_address["taken@example.test"].body


def test_api_sign_up_names_a_weak_password_for_a_known_and_a_new_address():
    CreatorFactory(email="taken@example.test")
    taken, fresh = register("taken@example.test", "123"), register("fresh@example.test", "123")
    same_shape(taken, fresh)
    assert without_request_id(taken.json()) == without_request_id(fresh.json())
    assert taken.status_code == 400 and "password" in taken.json()["error"]["fields"]
    assert not User.objects.filter(email="fresh@example.test").exists()


def test_logging_in_with_the_password_one_chose_tells_nothing_either():
    """Sign up someone's address with a password of one's own, then log in with it: a known address
    refuses (its owner's password differs), and so does a new one until its email is verified."""
    CreatorFactory(email="taken@example.test")
    register("taken@example.test"), register("fresh@example.test")
    login = {"password": PASSWORD}
    api = client_with()
    taken = api.post("/api/v1/auth/login", {**login, "email": "taken@example.test"}, format="json")
    fresh = api.post("/api/v1/auth/login", {**login, "email": "fresh@example.test"}, format="json")
    same_shape(taken, fresh)
    assert without_request_id(taken.json()) == without_request_id(fresh.json())
    assert taken.status_code == 401
    EmailAddress.objects.filter(email="fresh@example.test").update(verified=True)  # the owner opens the link
    assert api.post("/api/v1/auth/login", {**login, "email": "fresh@example.test"}, format="json").status_code == 200


def test_api_sign_up_takes_about_as_long_for_a_known_address():
    CreatorFactory(email="taken@example.test")
    register("warm-up@example.test"), register("taken@example.test")
    known, new = [], []
    for i in range(3):
        for times, email in ((known, "taken@example.test"), (new, f"fresh{i}@example.test")):
            start = time.perf_counter()
            assert register(email).status_code == 201
            times.append(time.perf_counter() - start)
    # Both hash one password and send one email; a lookup or an insert more is noise beside that.
    assert 0.5 < min(known) / min(new) < 2, (known, new)


def web_sign_up(client, email):
    return client.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD},
                       follow=True)


def test_web_sign_up_answers_a_known_address_as_a_new_one(client, settings):
    CreatorFactory(email="taken@example.test")
    mail.outbox.clear()
    taken = web_sign_up(client, "taken@example.test")
    client.cookies.clear()
    fresh = web_sign_up(client, "fresh@example.test")
    assert taken.redirect_chain == fresh.redirect_chain == [("/accounts/confirm-email/", 302)]
    assert taken.status_code == fresh.status_code == 200
    assert {k.lower() for k in taken.headers} == {k.lower() for k in fresh.headers}
    assert "already" not in taken.text.lower()
    # The pages differ only by the address they were sent to.
    assert without_tokens(taken, "taken@example.test") == without_tokens(fresh, "fresh@example.test")
    assert {m.to[0] for m in mail.outbox} == {"taken@example.test", "fresh@example.test"}
    assert User.objects.filter(email__iexact="taken@example.test").count() == 1


def test_the_waitlist_api_answers_a_known_address_as_a_new_one():
    WaitlistEntry.objects.create(email="early@example.test")  # joined, not confirmed yet
    confirmed = WaitlistEntry.objects.create(email="fan@example.test")
    waitlist.confirm(confirmed)
    api = client_with()
    before = api.get("/api/v1/waitlist/count").json()
    known = api.post("/api/v1/waitlist", {"email": "FAN@example.test"}, format="json")
    waiting = api.post("/api/v1/waitlist", {"email": "early@example.test"}, format="json")
    new = api.post("/api/v1/waitlist", {"email": "new@example.test"}, format="json")
    same_shape(known, waiting, new)
    assert known.json() == waiting.json() == new.json() == before == {"count": 1}
    assert api.get("/api/v1/waitlist/count").json() == {"count": 1}  # joining does not move the count
    assert WaitlistEntry.objects.count() == 3
    waitlist.confirm(WaitlistEntry.objects.get(email="new@example.test"))  # opening the link does
    assert api.get("/api/v1/waitlist/count").json() == {"count": 2}


def test_the_waitlist_page_answers_a_known_address_as_a_new_one(client):
    waitlist.confirm(WaitlistEntry.objects.create(email="fan@example.test"))
    known = client.post("/waitlist/", {"email": "fan@example.test", "interest": "buyer"}, follow=True)
    new = client.post("/waitlist/", {"email": "new@example.test", "interest": "buyer"}, follow=True)
    assert known.redirect_chain == new.redirect_chain == [("/waitlist/", 302)]
    assert known.status_code == new.status_code == 200
    assert {k.lower() for k in known.headers} == {k.lower() for k in new.headers}
    assert without_tokens(known) == without_tokens(new)
    assert "Check your inbox" in new.text and "already" not in known.text


def test_a_known_creator_can_still_be_found_by_their_public_pages_only():
    """The id answered for a known address leads nowhere: no track, no account."""
    CreatorFactory(email="taken@example.test")
    TrackFactory()
    user_id = register("taken@example.test").json()["user_id"]
    assert not User.objects.filter(pk=user_id).exists()


def web_log_in(email, password):
    from django.test import Client

    return Client().post("/accounts/login/", {"login": email, "password": password})


def test_the_web_login_answers_a_wrong_password_alike_for_a_known_and_an_unknown_address():
    CreatorFactory(email="taken@example.test")
    web_log_in("warm-up@example.test", "wrong-guess-1")
    known, unknown = [], []
    for times, email in ((known, "taken@example.test"), (unknown, "nobody@example.test")) * 3:
        start = time.perf_counter()
        page = web_log_in(email, "wrong-guess-1")
        times.append((time.perf_counter() - start, page))
    taken, fresh = known[0][1], unknown[0][1]
    assert taken.status_code == fresh.status_code == 200 and "not correct" in taken.text
    assert {k.lower() for k in taken.headers} == {k.lower() for k in fresh.headers}
    assert without_tokens(taken, "taken@example.test") == without_tokens(fresh, "nobody@example.test")
    # One password hash either way (allauth hashes a throwaway for an unknown address).
    fastest = min(t for t, _ in known) / min(t for t, _ in unknown)
    assert 0.5 < fastest < 2, (known, unknown)


def test_signing_up_someones_address_then_logging_in_with_ones_own_password_tells_nothing(client):
    """The web twin of test_logging_in_with_the_password_one_chose_tells_nothing_either: a new address's
    unverified account answers its right password exactly as a known address answers a wrong one."""
    CreatorFactory(email="taken@example.test")
    web_sign_up(client, "taken@example.test")
    client.cookies.clear()
    web_sign_up(client, "fresh@example.test")
    mail.outbox.clear()
    cache.clear()  # minutes later: the confirmation mails may be sent again (ACCOUNT_RATE_LIMITS)
    taken, fresh = web_log_in("taken@example.test", PASSWORD), web_log_in("fresh@example.test", PASSWORD)
    assert taken.status_code == fresh.status_code == 200  # no redirect to "verify your email" for either
    assert {k.lower() for k in taken.headers} == {k.lower() for k in fresh.headers}
    assert without_tokens(taken, "taken@example.test") == without_tokens(fresh, "fresh@example.test")
    assert "_auth_user_id" not in fresh.wsgi_request.session
    # Only the new address's owner hears of it: a fresh confirmation link, in their inbox.
    assert [m.to for m in mail.outbox] == [["fresh@example.test"]] and "confirm-email" in mail.outbox[0].body


def test_password_reset_answers_alike_for_a_known_and_an_unknown_address(client):
    CreatorFactory(email="taken@example.test")
    mail.outbox.clear()
    taken = client.post("/accounts/password/reset/", {"email": "taken@example.test"}, follow=True)
    client.cookies.clear()
    fresh = client.post("/accounts/password/reset/", {"email": "nobody@example.test"}, follow=True)
    assert taken.redirect_chain == fresh.redirect_chain == [("/accounts/password/reset/done/", 302)]
    assert without_tokens(taken) == without_tokens(fresh)
    # The owner gets a reset link; the unknown address is told it has no account here (allauth's
    # "unknown account" mail), so the inbox, not the page, is where the difference shows.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "password/reset/key" in by_address["taken@example.test"].body
    assert "password/reset/key" not in by_address["nobody@example.test"].body

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email="new@example.test", password="a-long-pass-phrase-42"):
    return client.post("/accounts/signup/", {"email": email, "password1": password, "password2": password})


def test_signing_up_sends_a_verification_link_and_verifying_logs_in(client):
    response = sign_up(client)
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    user = User.objects.get(email="new@example.test")
    assert user.handle == "new"
    assert not EmailAddress.objects.get(user=user).verified
    assert mail.outbox[0].subject.startswith("[aimusicstore]")
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    response = client.post(path)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/dashboard/").status_code == 200


def test_an_unverified_account_cannot_log_in_and_is_mailed_a_fresh_link(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()
    response = client.post("/accounts/login/", {"login": "new@example.test", "password": "a-long-pass-phrase-42"})
    # The same answer as a wrong password (tests/accounts/test_answers_do_not_tell_who_is_known.py says why),
    # naming the unconfirmed address as one reason.
    assert response.status_code == 200 and "not correct, or the address is not confirmed yet" in response.text
    assert client.get("/dashboard/").status_code == 302
    assert mail.outbox == []  # the sign-up's link is minutes old and still works: no second mail yet
    cache.clear()  # ACCOUNT_RATE_LIMITS["confirm_email"]'s few minutes pass
    client.post("/accounts/login/", {"login": "new@example.test", "password": "a-long-pass-phrase-42"})
    assert [m.to for m in mail.outbox] == [["new@example.test"]] and "confirm-email" in mail.outbox[0].body
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    client.post("/" + link.split("/", 3)[3])
    response = client.post("/accounts/login/", {"login": "new@example.test", "password": "a-long-pass-phrase-42"})
    assert response.status_code == 302 and client.get("/dashboard/").status_code == 200


def test_a_weak_password_and_a_taken_email_are_explained(client):
    UserFactory(email="taken@example.test")
    response = sign_up(client, email="taken@example.test", password="123")
    assert "too short" in response.text
    assert User.objects.filter(email="taken@example.test").count() == 1


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.test")
    pages = [client.post("/accounts/login/", {"login": "target@example.test", "password": "wrong"}).text
             for _ in range(6)]
    assert all("not correct" in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[5]
    # Even the right password waits now: the limit is per account, counted in Redis.
    page = client.post("/accounts/login/", {"login": "target@example.test", "password": "correct-horse-42"})
    assert "Too many failed login attempts" in page.text


def test_social_buttons_show_only_when_configured(client, settings):
    assert "GitHub" not in client.get("/accounts/login/").text
    settings.SOCIALACCOUNT_PROVIDERS = {"github": {"APP": {"client_id": "abc", "secret": "s"}}}
    assert "GitHub" in client.get("/accounts/login/").text


def test_auth_pages_use_the_site_layout(client):
    page = client.get("/accounts/login/").text
    assert "site-header" in page and "page--auth" in page
    assert re.search(r"<title>\s*Sign In\s*— aimusicstore</title>", page)


def test_two_factor_setup_is_offered(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200 and "Authenticator App" in response.text
    assert 'href="/accounts/2fa/"' in client.get("/account/").text


def test_a_forgotten_password_is_reset_by_emailed_link(client):
    UserFactory(email="forgetful@example.test")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.test"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["forgetful@example.test"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiKey, User
from tests.factories import UserFactory
from tests.helpers import client_with


def test_it_creates_a_creator_account(anon):
    response = anon.post("/api/v1/auth/register",
                         {"email": "Nova@Example.test", "password": "a-long-unusual-pass-93", "name": "Nova"},
                         format="json")
    assert response.status_code == 201
    user = User.objects.get(pk=response.json()["user_id"])
    assert (user.email, user.display_name, user.role) == ("Nova@example.test", "Nova", User.Role.CREATOR)
    assert user.check_password("a-long-unusual-pass-93")


def test_a_taken_email_in_any_case_makes_no_second_account_and_is_not_told_apart(anon):
    owner = UserFactory(email="taken@example.test")
    response = anon.post("/api/v1/auth/register", {"email": "TAKEN@example.test", "password": "a-long-pass-93x"},
                         format="json")
    assert response.status_code == 201 and set(response.json()) == {"user_id"}  # as for a new address
    assert list(User.objects.filter(email__iexact="taken@example.test")) == [owner]
    assert not User.objects.filter(pk=response.json()["user_id"]).exists()


def test_it_refuses_a_weak_password(anon):
    response = anon.post("/api/v1/auth/register", {"email": "w@example.test", "password": "123"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["password"]


def test_log_in_answers_a_key_that_works_and_expires(anon):
    UserFactory(email="me@example.test")
    response = anon.post("/api/v1/auth/login", {"email": "me@example.test", "password": "correct-horse-42"},
                         format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["api_key"].startswith("ams_")
    key = ApiKey.objects.get()
    assert abs(key.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert client_with(body["api_key"]).get("/api/v1/me/tracks").status_code == 200


def test_log_in_refuses_a_wrong_password(anon):
    UserFactory(email="me@example.test")
    response = anon.post("/api/v1/auth/login", {"email": "me@example.test", "password": "guess"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("Wrong email or password")
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_a_password_ending_in_spaces_logs_in_on_the_web_and_over_the_api(client):
    anon = client_with()
    password = "  correct horse battery staple  "
    assert anon.post("/api/v1/auth/register", {"email": "spaces@example.test", "password": password},
                     format="json").status_code == 201
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email="spaces@example.test").update(verified=True)

    assert anon.post("/api/v1/auth/login", {"email": "spaces@example.test", "password": password},
                     format="json").status_code == 200
    assert anon.post("/api/v1/auth/login", {"email": "spaces@example.test", "password": password.strip()},
                     format="json").status_code != 200
    response = client.post("/accounts/login/", {"login": "spaces@example.test", "password": password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_password_over_128_characters_is_refused_naming_the_field():
    """Spaces count: 127 letters and 3 spaces are 130 characters, not a trimmed 127."""
    response = client_with().post("/api/v1/auth/register",
                                  {"email": "long@example.test", "password": "x" * 127 + "   "}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    assert not UserFactory._meta.model.objects.filter(email="long@example.test").exists()

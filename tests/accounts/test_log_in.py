import pytest

from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db


def test_a_creator_logs_in_by_email_and_reaches_the_studio(client):
    CreatorFactory(email="maker@example.test")
    response = client.post(
        "/accounts/login/", {"login": "maker@example.test", "password": "correct-horse-42"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Creator studio" in response.text


def test_a_wrong_password_is_explained_beside_the_form(client):
    CreatorFactory(email="maker@example.test")
    response = client.post("/accounts/login/", {"login": "maker@example.test", "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.text


def test_the_studio_asks_visitors_to_log_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

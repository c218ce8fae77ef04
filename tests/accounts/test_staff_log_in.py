"""Staff log in through the site's limited login, with two-factor, and the API login shares its lockout."""

import pytest

from tests.factories import UserFactory
from tests.helpers import client_with
from tests.staff import enable_totp, log_in_staff

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-42"


@pytest.fixture
def staff():
    return UserFactory(email="mod@example.test", is_staff=True, is_superuser=True)


def wrong_web_logins(client, email, times):
    for _ in range(times):
        client.post("/accounts/login/", {"login": email, "password": "wrong-guess"})


def test_the_admin_login_is_the_sites_login(client):
    response = client.get("/admin/login/?next=/admin/marketplace/track/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fmarketplace%2Ftrack%2F"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_staff_with_totp_reach_the_admin_after_their_code(client, staff):
    secret = enable_totp(staff)
    response = log_in_staff(client, staff.email, PASSWORD, secret)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Site administration" in response.text


def test_the_admin_login_locks_after_the_sites_limit_even_for_the_right_password(client, staff):
    secret = enable_totp(staff)
    wrong_web_logins(client, staff.email, 5)
    response = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 200 and "Too many failed login attempts" in response.text
    assert "Site administration" not in log_in_staff(client, staff.email, PASSWORD, secret).text


def test_wrong_passwords_from_one_address_are_limited_across_accounts(client, staff):
    for n in range(10):
        client.post("/accounts/login/", {"login": f"someone{n}@example.test", "password": "wrong-guess"})
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.text


def test_staff_without_two_factor_are_sent_to_set_it_up(client, staff):
    client.force_login(staff)
    response = client.get("/admin/marketplace/track/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_a_staff_session_that_skipped_the_code_is_asked_for_it(client, staff):
    enable_totp(staff)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response["Location"].startswith("/accounts/reauthenticate/") or \
        response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_members_who_are_not_staff_are_refused_the_admin_login(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_api_login_answers_429_with_retry_after_once_the_account_is_locked(staff):
    api = client_with()
    for _ in range(5):
        assert api.post("/api/v1/auth/login", {"email": staff.email, "password": "nope"},
                        format="json").status_code == 401
    response = api.post("/api/v1/auth/login", {"email": staff.email, "password": PASSWORD}, format="json")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"


def test_wrong_api_passwords_for_one_account_from_many_addresses_lock_it(staff, settings):
    """Spread over six addresses (each under its own per-address limit), the account is still locked."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    api = client_with()
    codes = [api.post("/api/v1/auth/login", {"email": staff.email, "password": f"guess-{n}"}, format="json",
                      REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 6}").status_code
             for n in range(8)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3
    right = api.post("/api/v1/auth/login", {"email": staff.email, "password": PASSWORD}, format="json",
                     REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert right.status_code == 429 and "api_key" not in right.json()


def test_the_api_refuses_a_key_while_the_web_login_has_the_account_locked(client, staff):
    wrong_web_logins(client, staff.email, 5)
    response = client_with().post("/api/v1/auth/login", {"email": staff.email, "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "api_key" not in response.json()


def test_the_api_login_asks_accounts_with_two_factor_for_their_code(staff):
    from tests.staff import totp_code

    secret = enable_totp(staff)
    api = client_with()
    without = api.post("/api/v1/auth/login", {"email": staff.email, "password": PASSWORD}, format="json")
    assert without.status_code == 401 and without.json()["error"]["code"] == "two_factor_required"
    wrong = api.post("/api/v1/auth/login", {"email": staff.email, "password": PASSWORD, "code": "000000"},
                     format="json")
    assert wrong.status_code == 401 and "api_key" not in wrong.json()
    right = api.post("/api/v1/auth/login", {"email": staff.email, "password": PASSWORD,
                                            "code": totp_code(secret)}, format="json")
    assert right.status_code == 200 and right.json()["api_key"]


def test_staff_without_two_factor_get_no_key_from_the_api_login(staff):
    response = client_with().post("/api/v1/auth/login", {"email": staff.email, "password": PASSWORD}, format="json")
    assert response.status_code == 401 and "two-factor" in response.json()["error"]["message"]

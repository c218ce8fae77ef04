"""Staff with two-factor authentication, for tests and browser tests that reach /admin/.

`enable_totp(user)` gives a staff member an authenticator app and hands back its secret;
`totp_code(secret)` is the code the app shows now. `admin_session(client, user)` signs a test
client in the way pytest-django's `admin_client` does (force_login) and marks that session as
having passed the TOTP step, which only a real code can do in production.
"""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

TOTP_PERIOD = 30


def enable_totp(user):
    """Activate TOTP for `user` (once) and answer its base32 secret."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret, at=None):
    """The six digits an authenticator app shows for `secret` now.

    Near the end of a period it waits for the next one, as a person would, so the code is still
    current when the server checks it.
    """
    if at is None and time.time() % TOTP_PERIOD > TOTP_PERIOD - 3:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.05)
    return format_hotp_value(hotp_value(secret, int(at or time.time()) // TOTP_PERIOD))


def admin_session(client, user):
    """Sign `client` in as staff `user` with TOTP enabled and this session's TOTP step passed."""
    enable_totp(user)
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def log_in_staff(client, email, password, secret, next_url="/admin/"):
    """The real way in: the site's login form, then the TOTP code; answers the last response."""
    client.post(f"/accounts/login/?next={next_url}", {"login": email, "password": password})
    return client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, follow=True)

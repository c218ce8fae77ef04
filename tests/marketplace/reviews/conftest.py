import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests make many accounts; the default PBKDF2 hashing dominates their time on a shared CPU."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""Writes for accounts: sign-ups, profiles, API keys and agents, each inside a transaction."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.authentication import forget_keys
from accounts.models import Agent, ApiKey, Follow, HandleRedirect, User
from accounts.tiers import key_tier_for
from marketplace.catalogue import validators

AGENT_EMAIL_DOMAIN = "agents.aimusicstore.invalid"
UNSUBSCRIBE_SALT = "accounts.unsubscribe-new-tracks"


def register_user(request, email, password, name=""):
    """Sign up a creator account from the API; the id to answer, the same kind of answer either way.

    The password must pass Django's password validators (a 400 names it, for a new and a known
    address alike). A new address gets an unverified account and allauth's confirmation link. An
    address that already has an account is not told apart: its owner is emailed that someone tried
    to sign up with it (allauth's "account already exists" mail, as the web sign-up sends), and the
    caller gets an id drawn from the same sequence as a real one, belonging to no account (nothing
    can be done with it; a new account's own id is no more useful until its email is verified).
    Both paths hash a password once, so they take about as long.
    """
    from allauth.account.adapter import get_adapter

    email = User.objects.normalize_email(email).strip()
    user = User(email=email, display_name=name.strip(), role=User.Role.CREATOR)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    if not User.objects.filter(email__iexact=email).exists():
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # a concurrent sign-up with the same address won: answer as for a known one
            pass
        else:
            send_verification(request, user)
            from voting.trust.services import record_signup

            record_signup(user, request)  # co-registration signals for the vote detectors
            return user.pk
    get_adapter(request).send_account_already_exists_mail(email)  # hashes a throwaway password too
    return unused_user_id()


def unused_user_id():
    """An id from the accounts' own sequence that no account will ever have (as a rolled-back sign-up leaves)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('accounts_user', 'id'))")
        return cursor.fetchone()[0]


class LoginLocked(Exception):
    """Too many wrong passwords for this account or from this address (the site's login limit)."""


def send_verification(request, user):
    """Record the address as unverified and email its confirmation link (allauth's, as the web sign-up does):
    until it is opened the account's keys may read but not vote, publish or register agents."""
    from allauth.account.models import EmailAddress

    address, _ = EmailAddress.objects.get_or_create(user=user, email=user.email,
                                                    defaults={"primary": True, "verified": False})
    if not address.verified:
        address.send_confirmation(request, signup=True)


class SecondFactorRequired(Exception):
    """The account uses (or, being staff, must use) TOTP, and no right code came with the password."""


def check_second_factor(user, code):
    """A key is issued only with the authenticator's current code when the account has TOTP, as the
    web login asks for it; staff without TOTP get no key at all. Wrong codes count against the
    account's login limit (allauth's), so the six digits cannot be guessed behind a known password."""
    from allauth.mfa.base.internal.flows import check_rate_limit
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        if user.is_staff:
            raise SecondFactorRequired("Staff need two-factor authentication: set up an authenticator app "
                                       "at /accounts/2fa/ first.")
        return
    if not code:
        raise SecondFactorRequired("This account uses two-factor authentication: send the authenticator "
                                   "app's current `code` with the password.")
    try:
        clear_failures = check_rate_limit(user)
    except ValidationError:
        raise LoginLocked from None
    if not authenticator.wrap().validate_code(code):
        raise SecondFactorRequired("The two-factor code is wrong or was already used.")
    clear_failures()


def login_user(request, email, password):
    """The active person with this email and password and a verified address, or None (agents have no
    password).

    The attempt counts against the site's login limits (allauth's `login_failed`: per address and
    per account, `ACCOUNT_RATE_LIMITS`), shared with the web and admin login: while they have the
    account locked, even the right password is refused (LoginLocked).
    """
    from allauth.account.adapter import get_adapter

    try:
        user = get_adapter(request).authenticate(request, email=(email or "").strip(), password=password)
    except ValidationError:
        raise LoginLocked from None
    if user is None or not user.is_active or not user.has_usable_password():
        return None
    from accounts.permissions import verified_principal

    # Not before the email is verified, with the same answer as a wrong password: otherwise signing up
    # with someone's address and logging in with the password one chose would tell whether it was known.
    return user if verified_principal(user) else None


def issue_login_key(user):
    """A key that expires after API_LOGIN_KEY_LIFETIME_DAYS, for `POST auth/login`."""
    expires_at = timezone.now() + timedelta(days=settings.API_LOGIN_KEY_LIFETIME_DAYS)
    name = f"Login {timezone.now():%Y-%m-%d %H:%M}"
    return ApiKey.issue(user, name, tier=key_tier_for(user), expires_at=expires_at)


class ScopesTooWide(ValueError):
    """A key asked for scopes its creator's own key does not hold."""


def create_key(user, name, expires_at=None, scopes=None, granted_by=None):
    """A named key made on /account/ or `POST keys`; the raw key is returned once.

    `scopes` narrow it (every scope when None); made with another key (`granted_by`), it can hold
    no scope that key lacks.
    """
    if granted_by is not None:
        scopes = list(granted_by.scopes) if scopes is None else scopes
        wider = sorted(set(scopes) - set(granted_by.scopes))
        if wider:
            raise ScopesTooWide(f"The key you call with lacks {', '.join(wider)}: a new key cannot hold more.")
    return ApiKey.issue(user, name.strip() or "API key", tier=key_tier_for(user), expires_at=expires_at,
                        scopes=sorted(set(scopes)) if scopes is not None else None)


def own_keys(user):
    """The user's keys and their agents' keys, newest first (revoked ones too, marked)."""
    return ApiKey.objects.filter(Q(user=user) | Q(user__agent_profile__owner=user)).order_by("-created_at", "-id")


@transaction.atomic
def rotate_key(user, key_id, granted_by=None):
    """Replace one of the user's (or their agents') usable keys with a new one of the same name, tier, scopes
    and lifetime; the old key stops working at once. Returns (new key, raw key), or None if none matched.

    Called with a key (`granted_by`), only a key holding no scope beyond it can be rotated: a narrow key
    must not be a way to obtain a wider one."""
    old = own_keys(user).usable().select_for_update(of=("self",)).filter(pk=key_id).first()
    if old is None:
        return None
    wider = sorted(set(old.scopes) - set(granted_by.scopes)) if granted_by is not None else []
    if wider:
        raise ScopesTooWide(f"That key holds {', '.join(wider)}, which the key you call with lacks.")
    lifetime = old.expires_at - old.created_at if old.expires_at else None
    key, raw = ApiKey.issue(old.user, old.name, tier=old.tier, scopes=old.scopes,
                            expires_at=timezone.now() + lifetime if lifetime else None)
    forget_keys([old.key_hash])
    ApiKey.objects.filter(pk=old.pk).update(revoked_at=timezone.now())
    return key, raw


def revoke_key(user, key_id):
    """Revoke one of the user's own keys (also keys of the agents they own); False if none matched."""
    keys = ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).filter(
        Q(user=user) | Q(user__agent_profile__owner=user)
    )
    forget_keys(list(keys.values_list("key_hash", flat=True)))
    return keys.update(revoked_at=timezone.now()) > 0


@transaction.atomic
def register_agent(owner, name, description="", tier=None):
    """An agent with its own account (role agent, no password) and its first key, owned by `owner`."""
    name = name.strip()
    if Agent.objects.filter(owner=owner, name__iexact=name).exists():
        duplicate = ValidationError("You already have an agent with this name.", code="duplicate")  # a 409
        raise ValidationError({"name": [duplicate]})
    user = User(
        email=f"agent-{uuid.uuid4().hex[:16]}@{AGENT_EMAIL_DOMAIN}", display_name=name[:80], role=User.Role.AGENT,
        tier=owner.tier,
    )
    user.set_unusable_password()
    user.save()
    agent = Agent.objects.create(user=user, owner=owner, name=name, description=description)
    key, raw = ApiKey.issue(user, f"{name[:90]} key", tier=tier or key_tier_for(owner))
    return agent, key, raw


@transaction.atomic
def update_profile(user, data):
    """Save profile fields; a new handle leaves a HandleRedirect so old profile URLs keep working."""
    user = User.objects.select_for_update().get(pk=user.pk)
    new_handle = data.get("handle", user.handle)
    if new_handle != user.handle:
        HandleRedirect.objects.filter(old_handle=new_handle, user=user).delete()  # taking an old handle back
        HandleRedirect.objects.update_or_create(old_handle=user.handle, defaults={"user": user})
        user.handle = new_handle
    for name in ("display_name", "bio", "links", "notify_new_tracks"):
        if name in data:
            setattr(user, name, data[name])
    avatar = data.get("avatar")
    if avatar:
        old = user.avatar.name if user.avatar else ""
        user.avatar.save("avatar.jpg", validators.reencode_image(avatar, validators.AVATAR_SIDE, "avatar"), save=False)
        if old:
            user.avatar.storage.delete(old)
    user.save()
    return user


def unsubscribe_from_new_track_emails(user):
    User.objects.filter(pk=user.pk).update(notify_new_tracks=False)


def toggle_follow(follower, creator):
    """Follow or unfollow a creator; returns True when now following. Nobody follows themself."""
    if follower.pk == creator.pk:
        raise ValidationError("You cannot follow yourself.", code="follow_self")
    deleted, _ = Follow.objects.filter(follower=follower, creator=creator).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(follower=follower, creator=creator)
    return True


def unsubscribe_url(user):
    token = signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:unsubscribe", args=[token])

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from aimusicstore.urltag import reverse  # kept per process (a page asks for the same URLs often)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        # Accounts made in code (seed data, the admin shell) are trusted with their address;
        # people signing up on the site verify theirs through allauth's emailed link.
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.STAFF)
        return self._create_user(email, password, **extra)

    def creators(self):
        return self.filter(is_active=True, role=User.Role.CREATOR)


class User(AbstractUser):
    """A person or an agent's account; people log in by email, agents by API key."""

    class Role(models.TextChoices):
        BUYER = "buyer", "Buyer"
        CREATOR = "creator", "Creator"
        AGENT = "agent", "Agent"
        STAFF = "staff", "Staff"

    class Tier(models.TextChoices):
        FREE = "free", "Free"
        PRO = "pro", "Pro Creator"
        VERIFIED = "verified", "Verified Creator"
        ENTERPRISE = "enterprise", "Enterprise Creator"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    handle = models.SlugField(max_length=40, unique=True, help_text="Public URL: /creators/<handle>/")
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    links = models.JSONField(default=list, blank=True, help_text="List of profile URLs")
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.BUYER)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.FREE)
    notify_new_tracks = models.BooleanField(
        "Email me when a creator I follow publishes", default=True
    )
    reputation = models.FloatField(
        default=0, help_text="Sum of reputation events; recomputed by the voting app"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(handle__regex=r"^[a-z0-9][a-z0-9_-]*$"), name="user_handle_url_safe"
            ),
        ]
        indexes = [
            models.Index(fields=["role", "date_joined"]),
            # Search: a creator named in a query (exact, any case) and typo-tolerant suggestions.
            models.Index(Lower("display_name"), name="user_display_name_lower"),
            GistIndex(fields=["display_name"], opclasses=["gist_trgm_ops"], name="user_display_name_trgm"),
            GistIndex(fields=["handle"], opclasses=["gist_trgm_ops"], name="user_handle_trgm"),
        ]

    def __str__(self):
        return self.display_name or self.email

    @property
    def name(self):
        return self.display_name or self.handle

    @property
    def tier_badge(self):
        from accounts.tiers import badge

        return badge(self.tier)

    def save(self, *args, **kwargs):
        if not self.handle:
            self.handle = unique_handle(self.display_name or self.email.split("@")[0])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:creator-profile", args=[self.handle])


def unique_handle(seed):
    base = (slugify(seed).replace("-", "_")[:30] or "user").strip("_-") or "user"
    handle, n = base, 1
    while User.objects.filter(handle=handle).exists() or HandleRedirect.objects.filter(old_handle=handle).exists():
        n += 1
        handle = f"{base}{n}"
    return handle


class HandleRedirect(models.Model):
    """An old handle that keeps redirecting to its owner's profile after a rename."""

    old_handle = models.SlugField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="old_handles")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_handle} → {self.user.handle}"


class Follow(models.Model):
    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following")
    creator = models.ForeignKey(User, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "creator"], name="follow_once"),
            models.CheckConstraint(condition=~models.Q(follower=models.F("creator")), name="follow_not_self"),
        ]

    def __str__(self):
        return f"{self.follower} follows {self.creator}"


class Agent(models.Model):
    """An autonomous agent: its own account (to vote and upload), owned by a person.

    Votes by an owner's agents share the owner's standing (see voting.weights).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agent_profile")
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agents")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="agent_name_unique_per_owner"),
            models.CheckConstraint(condition=~models.Q(user=models.F("owner")), name="agent_not_its_own_owner"),
        ]

    def __str__(self):
        return self.name


def all_scopes():
    return [scope.value for scope in ApiKey.Scope]


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """A bearer key: stored as a SHA-256 hash with a short visible prefix, never in clear."""

    class Tier(models.TextChoices):
        STARTER = "starter", "Starter"
        PRO = "pro", "Pro"
        ENTERPRISE = "enterprise", "Enterprise"

    class Scope(models.TextChoices):
        READ = "read", "Read the catalogue and your own data"
        WRITE = "write", "Publish and edit tracks"
        VOTE = "vote", "Vote"
        ANALYTICS = "analytics", "Read your analytics and earnings"

    PREFIX = "ams_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    tier = models.CharField(max_length=12, choices=Tier.choices, default=Tier.STARTER)
    # What this key may do; a key can be narrowed to fewer scopes, never widened past its owner.
    scopes = ArrayField(
        models.CharField(max_length=12, choices=Scope.choices), default=all_scopes, blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope):
        return scope in self.scopes

    @staticmethod
    def hash(raw_key):
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name, tier=Tier.STARTER, expires_at=None, scopes=None):
        """Create a key; the raw key is returned once and never stored."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        key = cls.objects.create(
            user=user, name=name, tier=tier, expires_at=expires_at,
            scopes=list(scopes) if scopes is not None else all_scopes(),
            prefix=raw[: len(cls.PREFIX) + 6], key_hash=cls.hash(raw),
        )
        return key, raw

    @property
    def is_usable(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

import functools
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from marketplace.models import PayoutMethod, Platform, Tool, Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-42")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
            # A verified address, as after allauth's emailed link, so factory users can log in.
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=instance, email=instance.email, defaults={"verified": True, "primary": True}
            )


class CreatorFactory(UserFactory):
    role = User.Role.CREATOR
    # Creators can be paid (issue 16): `CreatorFactory(payout_method=None)` for one who has not said where.
    payout_method = factory.RelatedFactory("tests.factories.PayoutMethodFactory", factory_related_name="creator")


class PayoutMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayoutMethod

    creator = factory.SubFactory(CreatorFactory, payout_method=None)
    kind = PayoutMethod.Kind.PAYPAL
    account = factory.Sequence(lambda n: f"payee{n}@paypal.example.test")
    legal_name = "Ada Example"
    country = "GB"


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ["slug"]

    name = "Suno AI"
    slug = "suno-ai"
    domains = ["suno.com", "www.suno.com"]
    commission_rate = Decimal("0.2000")


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    name = factory.Sequence(lambda n: f"Tool {n}")
    slug = factory.Sequence(lambda n: f"tool-{n}")


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    creator = factory.SubFactory(CreatorFactory)
    title = factory.Sequence(lambda n: f"Midnight Dreams {n}")
    artist = factory.LazyAttribute(lambda o: o.creator.display_name)
    platform = factory.SubFactory(PlatformFactory)
    genre = "electronic"
    moods = ["chill", "melodic"]
    bpm = 120
    preview_url = "https://cdn.example.test/preview.mp3"
    purchase_url = factory.Sequence(lambda n: f"https://suno.com/song/{n}")
    price = Decimal("1.99")
    created_at = factory.LazyFunction(timezone.now)


@functools.cache
def demo_mp3(genre="electronic", seed=1):
    """Real MP3 bytes (a synthesised 30 s preview), made once per test process."""
    from marketplace.demo import media

    return media.synth_preview(genre, seed)


class TrackWithPreviewFactory(TrackFactory):
    """A track whose preview is a real MP3 stored in media, as an upload would leave it."""

    preview_url = ""
    preview_audio = factory.LazyFunction(lambda: ContentFile(demo_mp3(), name="preview.mp3"))
class AgentFactory(factory.django.DjangoModelFactory):
    """An agent: its own user account, owned by a person."""

    class Meta:
        model = "accounts.Agent"

    user = factory.SubFactory(UserFactory, role=User.Role.AGENT)
    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Agent {n}")

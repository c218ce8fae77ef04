"""Generate the demo store: tools, creators, agents, tracks with real audio, votes, sales.

Demo data only ever goes into a DEBUG (or test) database; production refuses it.
"""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Agent, ApiKey, User
from marketplace.analysis.demo import seed_analysis
from marketplace.catalogue import covers
from marketplace.catalogue.vocabulary import GENRES, MOODS
from marketplace.demo import media
from marketplace.discovery.services import refresh_similar_lists
from marketplace.licensing.demo import seed_licensing
from marketplace.models import FeaturedPlacement, Platform, Tool, Track
from marketplace.moderation.demo import seed_moderation
from marketplace.notifications.demo import seed_notifications
from marketplace.payouts.demo import seed_payout_methods
from marketplace.playlists.demo import seed_playlists
from marketplace.purchases import services
from marketplace.reviews.demo import seed_reviews
from marketplace.supply.demo import seed_supply
from marketplace.waitlist.demo import seed_waitlist
from voting.models import Vote
from voting.services import recompute_scores

DEMO_PASSWORD = "demo-pass-123"
ADMIN_EMAIL = "admin@demo.aimusicstore.test"
CREATOR_EMAIL = "creator@demo.aimusicstore.test"

# name, domain, commission rate, tool tagline
PLATFORMS = [
    ("Suno AI", "suno.com", "0.2000", "Full songs with vocals from a text prompt"),
    ("Udio", "udio.com", "0.2250", "High-fidelity songs in any style"),
    ("Mubert", "mubert.com", "0.2000", "Royalty-free generative music streams"),
    ("Soundraw", "soundraw.io", "0.2000", "Customisable AI beats for creators"),
    ("AIVA", "aiva.ai", "0.1500", "AI composer for soundtracks"),
    ("Boomy", "boomy.com", "0.1500", "Make a song in seconds, release it"),
    ("Stable Audio", "stableaudio.com", "0.2000", "Stability AI's audio diffusion model"),
    ("Beatoven.ai", "beatoven.ai", "0.2000", "Mood-based background music"),
    ("Loudly", "loudly.com", "0.2000", "AI music generator and library"),
    ("Soundful", "soundful.com", "0.2000", "Royalty-free tracks for streamers"),
    ("Riffusion", "riffusion.com", "0.2000", "Songs from spectrogram diffusion"),
    ("ElevenLabs Music", "elevenlabs.io", "0.2000", "Studio-grade songs from prompts"),
]

CREATORS = [
    ("Nova Drift", "Ambient and cinematic worlds generated nightly."),
    ("Bytebeat Collective", "A crew of producers pushing Suno to its limits."),
    ("Lumen Fox", "Lo-fi for late study sessions."),
    ("Kairo", "Hip-hop beats, human-curated, machine-made."),
    ("Velvet Circuit", "Synthwave and retro futures."),
    ("Mara Solenne", "Classical and piano pieces with AIVA."),
    ("Static Bloom", "Rock and metal from the noise floor."),
    ("Juniper Lane", "Folk songs about small towns that never existed."),
    ("Deep Ion", "Techno and house for the 4am crowd."),
    ("Opal Hours", "Pop hooks and R&B grooves."),
]

AGENTS = ["TasteBot", "GenreScout", "NightOwl Curator", "BPM Hunter", "Mood Matcher", "FreshEars", "Crate Digger AI"]

WORDS_A = ["Midnight", "Neon", "Golden", "Silent", "Electric", "Paper", "Velvet", "Crystal", "Hollow", "Wild",
           "Distant", "Broken", "Lunar", "Solar", "Frozen", "Burning", "Secret", "Endless", "Faded", "Quiet"]
WORDS_B = ["Dreams", "Rain", "Horizon", "Signals", "Garden", "Highway", "Echoes", "Tides", "Skyline", "Embers",
           "Pulse", "Letters", "Machines", "Waves", "Avenue", "Orbit", "Bloom", "Static", "Harbor", "Hearts"]
TAGS = ["ai", "instrumental", "background", "youtube", "study", "gaming", "workout", "podcast", "vlog", "focus"]
PRICES = [Decimal(p) for p in ("0.99", "1.49", "1.99", "1.99", "1.99", "2.49", "2.99", "3.99", "4.99")]


def progress(stdout, label, done, total, width=30):
    filled = int(width * done / total) if total else width
    stdout.write(f"\r{label:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
    if done == total:
        stdout.write("")
    stdout.flush()


class Command(BaseCommand):
    help = "Fill an empty DEBUG database with the demo store (refuses in production)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if tracks already exist")
        parser.add_argument("--tracks", type=int, default=64)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty=False, tracks=64, seed=2026, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError("Demo data is only for DEBUG databases; refusing to seed production.")
        if if_empty and Track.objects.exists():
            made = covers.backfill()  # a catalogue seeded before covers had thumbnails gets them
            self.stdout.write("Demo catalogue already present; skipping."
                              + (f" Made cover thumbnails for {made} tracks." if made else ""))
            return
        rng = random.Random(seed)
        now = timezone.now()
        with transaction.atomic():
            platforms, tools = self.platforms_and_tools()
            creators, agents, voters = self.people(rng, now)
        track_list = self.tracks(rng, now, tracks, creators, platforms, tools)
        seed_licensing(rng, track_list)
        seed_payout_methods(creators)
        seed_analysis(track_list, self.stdout, progress)
        with transaction.atomic():
            self.votes(rng, now, track_list, tools, agents + voters + creators)
            self.sales(rng, now, track_list)
            self.placements(now, track_list)
            seed_notifications(creators[:3] + voters[:2], track_list)
            seed_waitlist()
            seed_moderation(track_list, voters, CREATOR_EMAIL)
            seed_reviews(rng, now, [t for t in track_list if t.status == Track.Status.PUBLISHED], voters)
            seed_playlists(rng, [t for t in track_list if t.status == Track.Status.PUBLISHED], creators + voters[:3])
            seed_supply(ADMIN_EMAIL, CREATOR_EMAIL)
        seed_analysis(Track.objects.filter(analysis__isnull=True))  # the held upload seed_supply added
        recompute_scores()
        refresh_similar_lists()  # what the beat task keeps, so the first track pages opened rank nothing
        self.stdout.write(self.style.SUCCESS(
            f"Demo store ready: {len(track_list)} tracks, {len(tools)} tools, {len(creators)} creators, "
            f"{len(agents)} agents, {Vote.objects.count()} votes."
        ))

    def platforms_and_tools(self):
        platforms, tools = {}, []
        for name, domain, rate, tagline in PLATFORMS:
            slug = name.lower().replace(" ", "-").replace(".", "")
            platform, _ = Platform.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "domains": [domain, f"www.{domain}"], "commission_rate": Decimal(rate),
                          "website": f"https://{domain}/"},
            )
            platforms[name] = platform
            tool, _ = Tool.objects.get_or_create(
                slug=slug, defaults={"name": name, "website": f"https://{domain}/", "tagline": tagline,
                                     "company": name.split()[0], "platform": platform,
                                     "description": f"{name}: {tagline.lower()}."},
            )
            tools.append(tool)
        Platform.objects.get_or_create(
            slug="other", defaults={"name": "Other", "domains": [], "requires_approval": True,
                                    "commission_rate": Decimal("0.1000")},
        )
        return platforms, tools

    def people(self, rng, now):
        User.objects.filter(email=ADMIN_EMAIL).exists() or User.objects.create_superuser(
            ADMIN_EMAIL, DEMO_PASSWORD, display_name="Demo Staff", handle="staff"
        )
        creators = []
        for i, (name, bio) in enumerate(CREATORS):
            email = CREATOR_EMAIL if i == 0 else f"creator{i}@demo.aimusicstore.test"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email, DEMO_PASSWORD, display_name=name, bio=bio, role=User.Role.CREATOR,
                tier=[User.Tier.PRO, User.Tier.VERIFIED, User.Tier.FREE][i % 3],
            )
            User.objects.filter(pk=user.pk).update(date_joined=now - timedelta(days=90 - i))
            creators.append(user)
        agents = []
        for i, name in enumerate(AGENTS):
            owner = creators[i % 4 + 1]
            agent_user = User.objects.create_user(
                f"agent{i}@agents.aimusicstore.test", None, display_name=name, role=User.Role.AGENT
            )
            Agent.objects.create(user=agent_user, owner=owner, name=name, description=f"{name} votes on what it likes.")
            ApiKey.issue(agent_user, f"{name} key")
            agents.append(agent_user)
        voters = [
            User.objects.create_user(f"listener{i}@demo.aimusicstore.test", DEMO_PASSWORD, display_name=f"Listener {i}")
            for i in range(40)
        ]
        for user in voters:
            User.objects.filter(pk=user.pk).update(date_joined=now - timedelta(days=rng.randint(5, 200)))
        return creators, agents, voters

    def tracks(self, rng, now, count, creators, platforms, tools):
        genres = [slug for slug, _ in GENRES]
        moods = [slug for slug, _ in MOODS]
        tool_by_name = {tool.name: tool for tool in tools}
        created = []
        for i in range(count):
            genre = genres[i % len(genres)]
            creator = creators[i % len(creators)]
            title = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}"
            platform_name = rng.choice(list(platforms))
            platform = platforms[platform_name]
            bpm = media.genre_bpm(genre, i)
            track = Track(
                creator=creator, title=title, artist=creator.display_name, platform=platform,
                tool=tool_by_name.get(platform_name), genre=genre,
                moods=rng.sample(moods, rng.randint(1, 3)), bpm=bpm, duration=rng.randint(95, 260),
                purchase_url=f"https://{platform.domains[0]}/song/{uuid.UUID(int=rng.getrandbits(128))}",
                price=rng.choice(PRICES), tags=rng.sample(TAGS, 3) + [genre],
                description=f"**{title}** is a {genre.replace('-', ' ')} piece made with {platform_name}.\n\n"
                            f"Good for {rng.choice(['videos', 'streams', 'podcasts', 'focus', 'games'])}.",
                created_at=now - timedelta(days=60 * (count - i) / count, hours=rng.randint(0, 23)),
                preview_duration=30.0,
            )
            audio = media.synth_preview(genre, i)
            track.preview_audio.save(f"demo-{i}.mp3", ContentFile(audio), save=False)
            cover = media.draw_cover(title, creator.display_name, genre, i)
            track.cover.save(f"demo-{i}.jpg", ContentFile(cover), save=False)
            covers.make_thumbnails(track, cover)
            track.save()
            created.append(track)
            progress(self.stdout, "tracks", i + 1, count)
        return created

    def votes(self, rng, now, tracks, tools, voters):
        # A few hits and a long tail: track i is liked in proportion to a skewed weight.
        popularity = [rng.paretovariate(1.2) for _ in tracks]
        votes = []
        for voter in voters:
            for track, pop in zip(tracks, popularity, strict=True):
                if track.creator_id == voter.pk or rng.random() > min(0.9, 0.08 * pop):
                    continue
                age = (now - track.created_at).total_seconds()
                votes.append(Vote(
                    voter=voter, track=track, value=1 if rng.random() < 0.85 else -1,
                    weight=round(rng.uniform(0.6, 1.4), 2), listened=True,
                    created_at=track.created_at + timedelta(seconds=rng.uniform(0, age)),
                ))
            for tool in rng.sample(tools, 3):
                votes.append(Vote(voter=voter, tool=tool, value=1, weight=1.0,
                                  created_at=now - timedelta(days=rng.uniform(0, 60))))
        Vote.objects.bulk_create(votes)
        progress(self.stdout, "votes", len(votes), len(votes))

    def sales(self, rng, now, tracks):
        total = 300
        for n in range(total):
            track = rng.choice(tracks[: len(tracks) // 2] * 3 + tracks)
            at = now - timedelta(days=rng.uniform(0, 59))
            if at < track.created_at:
                at = track.created_at + timedelta(hours=1)
            click = services.record_purchase_click(track, ip=f"10.0.{n % 255}.{n % 7}", at=at)
            if rng.random() < 0.3:
                services.record_sale(track, f"demo-{n}", track.price, click=click, source="demo",
                                     at=at + timedelta(minutes=5))
        progress(self.stdout, "sales", total, total)

    def placements(self, now, tracks):
        FeaturedPlacement.objects.create(
            kind=FeaturedPlacement.Kind.HOMEPAGE, track=tracks[3], starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6), price=Decimal("500.00"),
        )
        FeaturedPlacement.objects.create(
            kind=FeaturedPlacement.Kind.EDITORS_PICK, track=tracks[7], starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=29), price=Decimal("0.00"), sponsored=False,
        )
        FeaturedPlacement.objects.create(
            kind=FeaturedPlacement.Kind.CATEGORY, track=tracks[11], genre=tracks[11].genre,
            starts_at=now - timedelta(days=2), ends_at=now + timedelta(days=5), price=Decimal("200.00"),
        )
        FeaturedPlacement.objects.create(
            kind=FeaturedPlacement.Kind.TRENDING, track=tracks[13], starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6), price=Decimal("300.00"),
        )

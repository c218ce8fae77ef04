"""Generate a marketplace at benchmark scale, set-based inside PostgreSQL, in minutes.

`make scale-data TRACKS=100000 USERS=20000 VOTES=1000000` runs this. Every row is built by
`INSERT ... SELECT ... FROM generate_series(...)`, so nothing crosses the wire but the SQL.
Popularity is skewed the way marketplaces are: a few hits and a long tail. Track i (in a
random popularity order) is drawn with density ~ i^-0.8 (a continuous Zipf), and active
users vote more than the rest. Votes, clicks, sales and daily stats fall in the last 90 days.
Tracks point at external preview URLs; no audio is generated.

Columns this command does not name are filled from the model's own defaults, so a field
added later (with a default) does not break it.
"""

import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from accounts.models import Agent, User
from marketplace.catalogue.vocabulary import GENRES, MOODS
from marketplace.demo.bulk import (
    CHUNK,
    DROP_LOOKUPS,
    FIRST_NAMES,
    LAST_NAMES,
    MORE_WORDS_A,
    MORE_WORDS_B,
    PRICES,
    REFERRERS,
    Progress,
    insert_select,
    pick,
    sql_array,
    zipf_index,
)
from marketplace.management.commands.seed_demo import PLATFORMS, TAGS, WORDS_A, WORDS_B
from marketplace.models import (
    FeaturedPlacement,
    LedgerEntry,
    Platform,
    PurchaseClick,
    Sale,
    Tool,
    Track,
    TrackDailyStats,
)
from voting.models import Vote
from voting.services import recompute_scores


@contextmanager
def client_side_cursor():
    """A cursor that binds parameters in the client, as psycopg's ClientCursor does.

    The store binds on the server (settings.DATABASES), where an untyped parameter in generated
    SQL (`generate_series(%s, %s)`, `floor(%s * random())`) has no type to take; this bulk
    generator's SQL is written for the parameters' literal values.
    """
    connection.ensure_connection()
    with CursorWrapper(psycopg.ClientCursor(connection.connection), connection) as cursor:
        yield cursor


class Command(BaseCommand):
    help = "Fill the database with a generated marketplace of the given size (benchmarks; refuses production)."

    def add_arguments(self, parser):
        parser.add_argument("--tracks", type=int, default=100_000)
        parser.add_argument("--users", type=int, default=20_000)
        parser.add_argument("--votes", type=int, default=1_000_000)
        parser.add_argument("--seed", type=float, default=0.42, help="PostgreSQL setseed() value in [-1, 1]")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off")
        parser.add_argument("--append", action="store_true", help="Add to a database that already has data")

    def handle(self, *args, tracks, users, votes, seed, force, append, **options):
        if not (settings.DEBUG or force):
            raise CommandError("scale_data fills the database with generated rows; DEBUG is off, "
                               "so this looks like production. Pass --force if you really mean it.")
        if not append and (User.objects.exists() or Track.objects.exists()):
            raise CommandError("The database already has users or tracks. Use an empty database "
                               "(e.g. a new DATABASE_URL) or pass --append to add to it.")
        if users < 10 or tracks < 1 or votes < 0:
            raise CommandError("Need at least 10 users and 1 track (creators are 10 % of users).")
        out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
        self.progress = Progress(out)
        self.tag = "s" + format(int(time.time() * 1000) % 36**7, "x")  # keeps --append runs unique
        started = time.monotonic()
        self.stdout.write(f"Generating {tracks:,} tracks, {users:,} users, {votes:,} votes (run tag {self.tag})")
        with transaction.atomic(), client_side_cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SELECT setseed(%s)", [max(-1.0, min(1.0, seed))])
            cursor.execute(DROP_LOOKUPS)  # inside an outer transaction ON COMMIT DROP has not run yet
            self.platforms_and_tools()
            self.users(cursor, users)
            self.agents(cursor)
            self.tracks(cursor, tracks)
            self.votes(cursor, votes)
            self.clicks_and_sales(cursor, votes)
            self.daily_stats(cursor)
            self.placements(cursor)
            cursor.execute(DROP_LOOKUPS)
        self.progress.start("analyze")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.progress.finish(0)
        self.progress.start("scores")
        recompute_started = time.monotonic()
        recompute_scores()
        recompute_seconds = time.monotonic() - recompute_started
        self.progress.finish(Vote.objects.count())
        total = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"Scale data ready in {total:.1f}s: {Track.objects.count():,} tracks, {User.objects.count():,} users, "
            f"{Vote.objects.count():,} votes, {PurchaseClick.objects.count():,} clicks, {Sale.objects.count():,} "
            f"sales, {TrackDailyStats.objects.count():,} daily stats rows."
        ))
        self.stdout.write(f"Full score recompute (voting.services.recompute_scores): {recompute_seconds:.2f}s")
        self.timings = dict(self.progress.timings, total={"seconds": round(total, 2)},
                            recompute_scores={"seconds": round(recompute_seconds, 2)})
        return None

    # --- catalogue -----------------------------------------------------------------------------------

    def platforms_and_tools(self):
        """The 12 known platforms and their tools (shared with the demo catalogue), plus 'Other'."""
        self.progress.start("platforms")
        for name, domain, rate, tagline in PLATFORMS:
            slug = name.lower().replace(" ", "-").replace(".", "")
            platform, _ = Platform.objects.get_or_create(
                slug=slug, defaults={"name": name, "domains": [domain, f"www.{domain}"], "commission_rate": rate,
                                     "website": f"https://{domain}/"},
            )
            Tool.objects.get_or_create(
                slug=slug, defaults={"name": name, "website": f"https://{domain}/", "tagline": tagline,
                                     "company": name.split()[0], "platform": platform,
                                     "description": f"{name}: {tagline.lower()}."},
            )
        Platform.objects.get_or_create(slug="other", defaults={"name": "Other", "requires_approval": True,
                                                               "commission_rate": "0.1000"})
        self.progress.finish(Platform.objects.count() + Tool.objects.count())

    def users(self, cursor, count):
        """10 % creators, 4 % agents, the rest buyers; unusable passwords (nobody logs in as them)."""
        self.progress.start("users")
        roles = "CASE WHEN g %% 100 < 10 THEN 'creator' WHEN g %% 100 < 14 THEN 'agent' ELSE 'buyer' END"
        first, last = sql_array(FIRST_NAMES), sql_array(LAST_NAMES)
        done = 0
        for lo in range(1, count + 1, CHUNK):
            hi = min(count, lo + CHUNK - 1)
            done += insert_select(cursor, User, {
                "password": "'!' || md5(random()::text)",
                "is_superuser": "false", "is_staff": "false", "is_active": "true",
                "date_joined": "now() - power(random(), 0.7) * interval '365 days'",
                "email": f"'{self.tag}-' || g || '@scale.aimusicstore.test'",
                "handle": f"'{self.tag}_' || g",
                "display_name": f"{pick(first, len(FIRST_NAMES), 'random()')} || ' ' || "
                                f"{pick(last, len(LAST_NAMES), 'random()')}",
                "role": roles,
                "tier": "CASE WHEN g %% 100 = 0 THEN 'verified' WHEN g %% 100 < 3 THEN 'pro' ELSE 'free' END",
                "reputation": "round((random() * 50)::numeric, 1)",
            }, "FROM generate_series(%s, %s) g", [lo, hi])
            self.progress.update(done, count)
        # Numbered lookup tables let set-based SQL pick "the n-th creator/voter" with a join.
        cursor.execute(f"""
            CREATE TEMP TABLE scale_creators ON COMMIT DROP AS
            SELECT (row_number() OVER (ORDER BY random()) - 1)::int AS n, id, display_name
            FROM accounts_user WHERE role = 'creator' AND handle LIKE '{self.tag}\\_%%';
            CREATE UNIQUE INDEX ON scale_creators (n);
            CREATE TEMP TABLE scale_voters ON COMMIT DROP AS
            SELECT (row_number() OVER (ORDER BY role = 'agent' DESC, random()) - 1)::int AS n, id
            FROM accounts_user WHERE handle LIKE '{self.tag}\\_%%';
            CREATE UNIQUE INDEX ON scale_voters (n);
        """)
        self.creators = self.scalar(cursor, "SELECT count(*) FROM scale_creators")
        self.voters = self.scalar(cursor, "SELECT count(*) FROM scale_voters")
        self.progress.finish(done)

    def agents(self, cursor):
        """Every agent account belongs to a creator."""
        self.progress.start("agents")
        rows = insert_select(cursor, Agent, {
            "user_id": "u.id", "owner_id": "c.id",
            "name": "'Agent ' || u.handle",
            "description": "'Votes on what it likes; generated for benchmarks.'",
            "created_at": "u.date_joined",
        }, f"""FROM (SELECT id, handle, date_joined, (id %% %s)::int AS cn FROM accounts_user
                     WHERE role = 'agent' AND handle LIKE '{self.tag}\\_%%') u
               JOIN scale_creators c ON c.n = u.cn""", [self.creators])
        self.progress.finish(rows)

    def tracks(self, cursor, count):
        """Prolific creators own many tracks; genres skew towards electronic; newer tracks are more common."""
        self.progress.start("tracks")
        cursor.execute("""
            CREATE TEMP TABLE scale_platforms ON COMMIT DROP AS
            SELECT (row_number() OVER (ORDER BY p.id) - 1)::int AS n, p.id, p.name, p.domains[1] AS domain,
                   t.id AS tool_id
            FROM marketplace_platform p LEFT JOIN marketplace_tool t ON t.platform_id = p.id
            WHERE NOT p.requires_approval AND cardinality(p.domains) > 0;
        """)
        n_platforms = self.scalar(cursor, "SELECT count(*) FROM scale_platforms")
        words_a, words_b = WORDS_A + MORE_WORDS_A, WORDS_B + MORE_WORDS_B
        a, b = sql_array(words_a), sql_array(words_b)
        genres, moods, tags, prices = (sql_array([g for g, _ in GENRES]), sql_array([m for m, _ in MOODS]),
                                       sql_array(TAGS), sql_array(PRICES))
        n_moods, n_tags = len(MOODS), len(TAGS)
        done = 0
        for lo in range(1, count + 1, CHUNK):
            hi = min(count, lo + CHUNK - 1)
            done += insert_select(cursor, Track, {
                "creator_id": "c.id", "title": "s.title", "slug": "lower(replace(s.title, ' ', '-'))",
                "artist": "c.display_name", "platform_id": "p.id", "tool_id": "p.tool_id", "genre": "s.genre",
                # Distinct moods and tags: offsets from a random start that never wrap onto each other.
                "moods": f"(ARRAY[{moods}[1 + s.m0], {moods}[1 + (s.m0 + 1 + s.m1) %% {n_moods}],"
                         f" {moods}[1 + (s.m0 + 2 + s.m1 + s.m2) %% {n_moods}]])[1:s.nm]",
                "bpm": "CASE WHEN s.r1 < 0.05 THEN NULL ELSE 60 + floor(s.r2 * 121)::int END",
                "duration": "90 + floor(s.r3 * 210)::int",
                "preview_url": "'https://cdn.' || p.domain || '/previews/' || md5(s.g::text || s.r1) || '.mp3'",
                "preview_duration": "30.0",
                "purchase_url": "'https://' || p.domain || '/song/' || md5(s.g::text || s.r2)",
                "price": f"({prices}[1 + floor(s.r4 * {len(PRICES)})::int])::numeric",
                "description": "'**' || s.title || '** is a ' || replace(s.genre, '-', ' ') || ' piece made with '"
                               " || p.name || '. Good for videos, streams and late nights.'",
                "tags": f"ARRAY[{tags}[1 + s.t0], {tags}[1 + (s.t0 + 1 + s.t1) %% {n_tags}], s.genre]",
                "status": "CASE WHEN s.r5 < 0.95 THEN 'published' WHEN s.r5 < 0.97 THEN 'pending'"
                          " WHEN s.r5 < 0.99 THEN 'hidden' ELSE 'removed' END",
                "buy_approved": "true",
                "created_at": "now() - (1 - sqrt(s.r6)) * interval '180 days'",
            }, f"""FROM (
                    SELECT g, {pick(a, len(words_a), 'random()')} || ' ' ||
                              {pick(b, len(words_b), 'random()')} AS title,
                           {pick(genres, len(GENRES), 'power(random(), 1.6)')} AS genre,
                           floor(random() * {n_moods})::int AS m0, floor(random() * 4)::int AS m1,
                           floor(random() * 4)::int AS m2, 1 + floor(random() * 3)::int AS nm,
                           floor(random() * {n_tags})::int AS t0, floor(random() * 4)::int AS t1,
                           floor(%s * power(random(), 2))::int AS cn, floor(random() * %s)::int AS pn,
                           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                           random() AS r6
                    FROM generate_series(%s, %s) g OFFSET 0) s
                JOIN scale_creators c ON c.n = s.cn
                JOIN scale_platforms p ON p.n = s.pn""", [self.creators, n_platforms, lo, hi])
            self.progress.update(done, count)
        # Popularity order: a random permutation of this run's published tracks (rank 0 = the biggest hit).
        cursor.execute("""
            CREATE TEMP TABLE scale_tracks ON COMMIT DROP AS
            SELECT (row_number() OVER (ORDER BY random()) - 1)::int AS n, t.id, t.creator_id, t.created_at
            FROM marketplace_track t JOIN scale_creators c ON c.id = t.creator_id
            WHERE t.status = 'published';
            CREATE UNIQUE INDEX ON scale_tracks (n);
        """)
        self.published = self.scalar(cursor, "SELECT count(*) FROM scale_tracks")
        self.progress.finish(done)

    # --- activity ------------------------------------------------------------------------------------

    def votes(self, cursor, count):
        """Track votes by popularity (a few hits, a long tail) plus ~2 % tool votes; recent days busier."""
        self.progress.start("votes")
        tool_target = count // 50 if count >= 50 else 0
        track_target = count - tool_target
        done = self.fill_votes(cursor, track_target, count, 0, self.track_vote_chunk)
        if tool_target:
            cursor.execute("""CREATE TEMP TABLE scale_tools ON COMMIT DROP AS
                              SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id FROM marketplace_tool""")
            done += self.fill_votes(cursor, tool_target, count, done, self.tool_vote_chunk)
        self.progress.finish(done)

    def fill_votes(self, cursor, target, total, already, chunk_sql):
        """Insert until `target` votes landed; duplicates (one vote per voter and target) are skipped."""
        done, stalled = 0, 0
        while done < target and stalled < 3:
            want = target - done
            attempt = min(CHUNK, int(want * 1.25) + 10)
            added = chunk_sql(cursor, attempt, want)
            done += added
            stalled = stalled + 1 if added < max(1, attempt // 100) else 0
            self.progress.update(already + done, total)
        if done < target:
            self.stderr.write(f"\n  only {done:,} of {target:,} votes fit: voters x targets is nearly saturated")
        return done

    def vote_columns(self):
        return {
            "value": "CASE WHEN s.r1 < 0.85 THEN 1 ELSE -1 END",
            "weight": "round((0.5 + s.r2)::numeric, 2)",
            "status": "CASE WHEN s.r3 < 0.99 THEN 'counted' WHEN s.r3 < 0.995 THEN 'suspected' ELSE 'cleared' END",
            "flag_reason": "CASE WHEN s.r3 < 0.99 THEN '' ELSE 'burst from one network' END",
            "listened": "true",  # generated voters heard what they voted on (voting/weights.py)
        }

    def track_vote_chunk(self, cursor, attempt, want):
        columns = {"voter_id": "v.id", "track_id": "t.id", **self.vote_columns(),
                   # sqrt skews towards now: recent days have more votes, so daily/weekly scores differ.
                   "created_at": "greatest(t.created_at, now() - interval '90 days')"
                                 " + sqrt(s.r4) * (now() - greatest(t.created_at, now() - interval '90 days'))"}
        # Candidates are de-duplicated before LIMIT so exactly the votes asked for land.
        return insert_select(cursor, Vote, columns, f"""FROM (
                SELECT DISTINCT ON (tn, vn) * FROM (
                    SELECT {zipf_index('%s', 'random()')} AS tn, floor(%s * power(random(), 1.5))::int AS vn,
                           random() AS r1, random() AS r2, random() AS r3, random() AS r4
                    FROM generate_series(1, %s) OFFSET 0) candidates) s
            JOIN scale_tracks t ON t.n = s.tn
            JOIN scale_voters v ON v.n = s.vn
            WHERE v.id <> t.creator_id
              AND NOT EXISTS (SELECT 1 FROM voting_vote x WHERE x.voter_id = v.id AND x.track_id = t.id)
            LIMIT %s""",
            [self.published, self.published, self.voters, attempt, want],
            suffix="ON CONFLICT (voter_id, track_id) WHERE track_id IS NOT NULL DO NOTHING")

    def tool_vote_chunk(self, cursor, attempt, want):
        columns = {"voter_id": "v.id", "tool_id": "t.id", **self.vote_columns(),
                   "created_at": "now() - s.r4 * interval '90 days'"}
        return insert_select(cursor, Vote, columns, """FROM (
                SELECT DISTINCT ON (tn, vn) * FROM (
                    SELECT floor((SELECT count(*) FROM scale_tools) * power(random(), 2))::int AS tn,
                           floor(%s * random())::int AS vn,
                           random() AS r1, random() AS r2, random() AS r3, random() AS r4
                    FROM generate_series(1, %s) OFFSET 0) candidates) s
            JOIN scale_tools t ON t.n = s.tn
            JOIN scale_voters v ON v.n = s.vn
            WHERE NOT EXISTS (SELECT 1 FROM voting_vote x WHERE x.voter_id = v.id AND x.tool_id = t.id)
            LIMIT %s""",
            [self.voters, attempt, want],
            suffix="ON CONFLICT (voter_id, tool_id) WHERE tool_id IS NOT NULL DO NOTHING")

    def clicks_and_sales(self, cursor, votes):
        """One purchase click per five votes, by the same popularity; ~8 % convert into a sale + ledger entry."""
        self.progress.start("clicks")
        count = max(1, votes // 5)
        referrers = sql_array(REFERRERS)
        done = 0
        for lo in range(1, count + 1, CHUNK):
            hi = min(count, lo + CHUNK - 1)
            done += insert_select(cursor, PurchaseClick, {
                "click_id": "gen_random_uuid()", "track_id": "t.id",
                "user_id": "CASE WHEN s.r1 < 0.3 THEN v.id END",
                "session_key": f"'{self.tag}' || md5(s.r2::text)",
                "referrer": pick(referrers, len(REFERRERS), "s.r3"),
                "ip_hash": "md5(s.r4::text)",
                "user_agent": "'Mozilla/5.0 (X11; Linux x86_64) scale-data'",
                "created_at": "greatest(t.created_at, now() - interval '90 days')"
                              " + sqrt(s.r5) * (now() - greatest(t.created_at, now() - interval '90 days'))",
            }, f"""FROM (
                    SELECT {zipf_index('%s', 'random()')} AS tn, floor(%s * random())::int AS vn,
                           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
                    FROM generate_series(%s, %s) OFFSET 0) s
                JOIN scale_tracks t ON t.n = s.tn
                JOIN scale_voters v ON v.n = s.vn""", [self.published, self.published, self.voters, lo, hi])
            self.progress.update(done, count)
        self.progress.finish(done)

        self.progress.start("sales")
        # The split mirrors marketplace.money.split_sale: commission rounded half-up to the cent,
        # earnings the remainder, so amount = commission + earnings exactly.
        sales = insert_select(cursor, Sale, {
            "order_id": "'scale-' || c.click_id", "click_id": "c.id", "track_id": "t.id", "amount": "t.price",
            "currency": "'USD'", "commission_rate": "p.commission_rate",
            "commission": "round(t.price * p.commission_rate, 2)",
            "earnings": "t.price - round(t.price * p.commission_rate, 2)",
            "source": f"'{Sale.Source.DEMO}'",
            "created_at": "c.created_at + (1 + random() * 30) * interval '1 minute'",
        }, f"""FROM marketplace_purchaseclick c
               JOIN marketplace_track t ON t.id = c.track_id
               JOIN marketplace_platform p ON p.id = t.platform_id
               WHERE c.session_key LIKE '{self.tag}%%' AND random() < 0.08""")
        insert_select(cursor, LedgerEntry, {
            "creator_id": "t.creator_id", "kind": f"'{LedgerEntry.Kind.SALE}'", "amount": "s.earnings",
            "sale_id": "s.id", "available_at": "s.created_at + interval '14 days'",
            "memo": "'Sale of “' || t.title || '”'", "created_at": "s.created_at",
        }, """FROM marketplace_sale s JOIN marketplace_track t ON t.id = s.track_id
              JOIN marketplace_purchaseclick c ON c.id = s.click_id
              WHERE c.session_key LIKE %s""", [f"{self.tag}%"])
        self.progress.finish(sales)

    def daily_stats(self, cursor):
        """One row per track and active day, consistent with that day's votes and clicks."""
        self.progress.start("daily stats")
        rows = insert_select(cursor, TrackDailyStats, {
            "track_id": "x.track_id", "day": "x.day",
            "views": "(sum(x.votes) * 30 + sum(x.clicks) * 8 + floor(random() * 20))::int",
            "plays": "(sum(x.votes) * 8 + sum(x.clicks) * 2 + floor(random() * 5))::int",
            "clicks": "sum(x.clicks)::int",
        }, """FROM (
                SELECT v.track_id, (v.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS votes, 0 AS clicks
                FROM voting_vote v JOIN scale_tracks t ON t.id = v.track_id GROUP BY 1, 2
                UNION ALL
                SELECT c.track_id, (c.created_at AT TIME ZONE 'UTC')::date, 0, count(*)
                FROM marketplace_purchaseclick c JOIN scale_tracks t ON t.id = c.track_id GROUP BY 1, 2
            ) x GROUP BY x.track_id, x.day""",
            suffix="""ON CONFLICT (track_id, day) DO UPDATE SET views = EXCLUDED.views, plays = EXCLUDED.plays,
                      clicks = EXCLUDED.clicks""")
        self.progress.finish(rows)

    def placements(self, cursor):
        """A homepage feature and an editor's pick among the hits, so featured slots are filled."""
        self.progress.start("placements")
        now = timezone.now()
        rows = 0
        for kind, rank, sponsored in ((FeaturedPlacement.Kind.HOMEPAGE, 3, True),
                                      (FeaturedPlacement.Kind.EDITORS_PICK, 7, False)):
            track_id = self.scalar(cursor, "SELECT id FROM scale_tracks WHERE n = %s", [rank])
            if track_id and not FeaturedPlacement.objects.filter(kind=kind, ends_at__gt=now).exists():
                FeaturedPlacement.objects.create(
                    kind=kind, track_id=track_id, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7),
                    price="500.00" if sponsored else "0.00", sponsored=sponsored,
                )
                rows += 1
        self.progress.finish(rows)

    @staticmethod
    def scalar(cursor, sql, params=()):
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return row[0] if row else None


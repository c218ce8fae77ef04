"""Building blocks of `manage.py scale_data`: set-based INSERT … SELECT helpers, skewed picks, a progress bar."""

import time

from django.db import connection, models

DROP_LOOKUPS = ("DROP TABLE IF EXISTS pg_temp.scale_creators, pg_temp.scale_voters, pg_temp.scale_platforms, "
                "pg_temp.scale_tracks, pg_temp.scale_tools")
ZIPF_EXPONENT = 0.8
CHUNK = 100_000
MORE_WORDS_A = ["Velvet", "Amber", "Cobalt", "Scarlet", "Silver", "Hidden", "Northern", "Restless", "Sunday",
                "Analog", "Digital", "Cosmic", "Tender", "Lucid", "Savage", "Gentle", "Early", "Last", "Summer",
                "Winter"]
MORE_WORDS_B = ["Circuits", "Shadows", "Rivers", "Lights", "Engines", "Voices", "Stations", "Mirrors", "Storms",
                "Canyons", "Satellites", "Ghosts", "Fields", "Windows", "Parade", "Fever", "Lullaby", "Motel",
                "Runway", "Anthem"]
FIRST_NAMES = ["Ada", "Kai", "Mina", "Leo", "Iris", "Noah", "Zoe", "Ravi", "Lena", "Omar", "Yuki", "Sam", "Ines",
               "Theo", "Nia", "Jonas", "Aiko", "Mateo", "Freya", "Luca"]
LAST_NAMES = ["Drift", "Vale", "Stone", "Rivers", "Okafor", "Nakamura", "Silva", "Novak", "Berg", "Moreau",
              "Haddad", "Kowalski", "Lindqvist", "Reyes", "Adeyemi", "Park", "Fischer", "Costa", "Murphy", "Singh"]
PRICES = ["0.99", "1.49", "1.99", "1.99", "1.99", "2.49", "2.99", "3.99", "4.99", "9.99"]
REFERRERS = ["", "", "https://www.google.com/", "https://www.youtube.com/", "https://www.reddit.com/r/aimusic/",
             "https://twitter.com/", "https://aimusicstore.com/top/weekly/"]


def sql_array(values):
    """A SQL ARRAY literal of quoted text constants (our own fixed vocabularies only)."""
    return "(ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[])"


def pick(array_sql, count, rand_sql):
    """One element of a 1-based SQL array, chosen by a random() value in [0, 1)."""
    return f"({array_sql})[1 + floor({rand_sql} * {count})::int]"


def zipf_index(n_sql, rand_sql, exponent=ZIPF_EXPONENT):
    """0-based index in [0, n) drawn with density ~ (i+1)^-exponent (inverse CDF of a continuous power law)."""
    k = 1 - exponent
    return (f"least({n_sql} - 1, floor(power(1 + {rand_sql} * (power({n_sql} + 1, {k}) - 1), {1 / k}))::int - 1)")


def default_columns(model, given):
    """(columns, SQL placeholders, params) for the model's concrete columns that `given` leaves out."""
    columns, placeholders, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            columns.append(field.column)
            placeholders.append("now()")
        elif field.has_default() or not field.null:
            columns.append(field.column)
            placeholders.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, placeholders, params


def insert_select(cursor, model, exprs, from_sql, params=(), suffix=""):
    """INSERT INTO model's table the SELECT of `exprs` (column -> SQL) FROM `from_sql`; returns rows added."""
    extra_cols, extra_sql, extra_params = default_columns(model, exprs)
    columns = list(exprs) + extra_cols
    select = ", ".join(list(exprs.values()) + extra_sql)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {select} {from_sql} {suffix}"
    # Expressions carry no placeholders, so the defaults' come first, then those of FROM.
    cursor.execute(sql, extra_params + list(params))
    return cursor.rowcount


class Progress:
    """One line per phase: a bar while it runs, then its row count and seconds."""

    def __init__(self, out, width=30):
        self.out, self.width, self.timings = out, width, {}
        self.tty = hasattr(out, "isatty") and out.isatty()

    def start(self, label):
        self.label, self.started = label, time.monotonic()
        self.update(0, 1)

    def update(self, done, total):
        filled = int(self.width * min(done, total) / total) if total else self.width
        elapsed = time.monotonic() - self.started
        bar = "#" * filled + "." * (self.width - filled)
        line = f"\r  {self.label:<12} [{bar}] {done:>10,}/{total:,} {elapsed:6.1f}s"
        if self.tty:
            self.out.write(line)
            self.out.flush()

    def finish(self, rows):
        elapsed = time.monotonic() - self.started
        self.timings[self.label] = {"rows": rows, "seconds": round(elapsed, 2)}
        bar = "#" * self.width
        self.out.write(f"\r  {self.label:<12} [{bar}] {rows:>10,} rows {elapsed:7.1f}s\n")
        self.out.flush()

"""Writes of the voting app: casting votes, scores from the vote log, reputation.

`cast_vote` is the one place the voting rules are enforced; web views, the API and
`manage.py simulate_voting` all call it. A vote applies its exact contribution to
its target's aggregates in the same transaction (so pages show it at once), and
`recompute_scores` rewrites every aggregate from the vote log with set-based SQL.
Both use the same definitions, so a recompute right after a vote changes nothing. Trending is
stored relative to a fixed epoch (voting.trending), so time passing alone changes no row.
"""

from dataclasses import dataclass, replace
from datetime import timedelta

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from marketplace.models import Tool, Track
from marketplace.webhooks import events as webhook_events
from voting import trending, weights
from voting.models import ReputationEvent, Vote
from voting.ratelimit import check_vote_rate

TRENDING_HALF_LIFE_HOURS = trending.HALF_LIFE_HOURS
PERIODS = {"score_daily": timedelta(days=1), "score_weekly": timedelta(days=7), "score_monthly": timedelta(days=30)}
SCORE_FIELDS = ["upvotes", "downvotes", "score", "score_daily", "score_weekly", "score_monthly", "trending_at_epoch"]

# Votes that count: not flagged, or cleared by a moderator.
COUNTED_STATUSES = (Vote.Status.COUNTED, Vote.Status.CLEARED)
COUNTED = "('counted', 'cleared')"


class VoteRefused(ValueError):
    """A vote the rules do not allow; `code` names the rule, `field` the input at fault."""

    def __init__(self, message, code, field=None):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


@dataclass
class VoteResult:
    value: int  # the voter's vote now: 1, -1 or 0 (none)
    weight: float
    upvotes: int
    downvotes: int
    score: float
    changed: bool
    rate: dict | None = None  # the voter's tightest rate-limit window after this vote (check_vote_rate)

    @property
    def vote_count(self):
        return self.upvotes + self.downvotes


@dataclass
class VoteTarget:
    """A target named by the caller, not yet looked up: cast_vote finds it (or refuses it, `not_found`) in
    the query it runs anyway, so a vote from the API costs no query of its own for it, nor a model instance.
    Once found, `creator_id` is its creator's (None for a tool)."""

    model: type
    pk: int
    creator_id: int | None = None


def vote_target(target_type, pk):
    return VoteTarget({"track": Track, "tool": Tool}[target_type], pk)


def _target_columns(target):
    model = target.model if isinstance(target, VoteTarget) else type(target)
    if issubclass(model, Track):
        return "track_id", "voting_trackscore"
    if issubclass(model, Tool):
        return "tool_id", "voting_toolscore"
    raise VoteRefused("Votes go on a track or a tool.", "invalid_target", "target_type")


# What may be voted on, as the context query finds it (`tg`): a published track (TrackQuerySet.published)
# and any tool. A tool has no creator.
_TARGET_JOINS = {
    "track_id": "LEFT JOIN marketplace_track tg ON tg.id = %(target)s AND tg.status = 'published' "
                "AND tg.preview_problem = ''",
    "tool_id": "LEFT JOIN marketplace_tool tg ON tg.id = %(target)s",
}
_TARGET_CREATORS = {"track_id": "tg.creator_id", "tool_id": "NULL::bigint"}
# Whether the creator hears of votes (a webhook for vote.received): a tool has nobody to tell.
_TARGET_HEARD = {"track_id": webhook_events.listening_sql("tg.creator_id", webhook_events.Event.VOTE_RECEIVED),
                 "tool_id": "false"}


def contribution(value, weight, status, created_at, now, epoch=None):
    """What one vote adds to each aggregate: the Python twin of the recompute SQL.

    Trending is put at `epoch`; without one it is left at 0 (cast_vote puts it at the epoch in SQL,
    after taking the epoch lock).
    """
    parts = dict.fromkeys(SCORE_FIELDS, 0.0)
    if status in COUNTED_STATUSES and weight > 0:  # public counts: only votes that carry weight
        parts["upvotes"] = 1 if value == 1 else 0
        parts["downvotes"] = 1 if value == -1 else 0
    if status in COUNTED_STATUSES:
        signed = value * weight
        parts["score"] = signed
        for field, window in PERIODS.items():
            parts[field] = signed if created_at >= now - window else 0.0
        if epoch is not None:
            parts["trending_at_epoch"] = trending.at_epoch(signed, created_at, epoch)
    return parts


def principal_join(user):
    """SQL joining `pa`, the agent row (if any) of the accounts_user row aliased `user`; principal_sql(user)
    is then its principal's id (an agent's owner, anyone else themself). A join, so the principal's own row
    is found by its primary key."""
    return f"LEFT JOIN accounts_agent pa ON pa.user_id = {user}.id"


def principal_sql(user):
    return f"coalesce(pa.owner_id, {user}.id)"


def family_sql(principal):
    """SQL selecting the ids of a principal's family (the principal and its agents), `principal` an SQL
    expression for its id. The family rule, once: nobody votes on their family's work, and one family
    vote per target carries the family's weight. cast_vote's SQL and family_of are built from it."""
    return f"SELECT {principal} UNION ALL SELECT fm.user_id FROM accounts_agent fm WHERE fm.owner_id = {principal}"


# The voter's principal and weight inputs (with earned trust), whether the voter heard this track's
# preview, whether the target is there to vote on and who made it, whether its creator belongs to the
# voter's family, whether the creator has a webhook to hear of it, and whether another family vote
# already carries the family's weight on this target. First it takes the trending epoch's lock
# shared (voting.trending): no rebase can move the epoch before this vote's transaction ends.
# The vote's commit does not wait for its WAL to reach the disk (synchronous_commit off, this
# transaction only): waiting was most of a vote's time (2-3 ms of ~5). A database crash can lose
# the last fraction of a second of votes (wal_writer_delay, 200 ms, three times at most), whole:
# the vote and its score change together, never one without the other. Money never takes this path.
_CONTEXT_SQL = """
SELECT {lock_epoch}, set_config('synchronous_commit', 'off', true), p.id, p.date_joined, p.reputation,
       EXISTS (SELECT 1 FROM account_emailaddress e WHERE e.user_id = p.id AND e.verified)
       OR EXISTS (SELECT 1 FROM socialaccount_socialaccount s WHERE s.user_id = p.id),
       coalesce((SELECT t.trust FROM voting_trust t WHERE t.user_id = p.id), 0),
       {listened},
       p.is_active AND u.is_active,
       tg.id IS NOT NULL, {creator}, {creator} IN ({family}), {heard},
       EXISTS (SELECT 1 FROM voting_vote v
               WHERE v.{fk} = %(target)s AND NOT v.shared AND v.voter_id <> u.id
                 AND v.status IN {counted} AND v.voter_id IN ({family})),
       ov.id, ov.value, ov.weight, ov.status, ov.created_at
FROM accounts_user u
{principal_join}
JOIN accounts_user p ON p.id = {principal}
{target_join}
LEFT JOIN LATERAL (SELECT v.id, v.value, v.weight, v.status, v.created_at FROM voting_vote v
                   WHERE v.voter_id = u.id AND v.{fk} = %(target)s FOR UPDATE) ov ON true
WHERE u.id = %(voter)s
"""

_LOCK_VOTE_SQL = (
    "SELECT id, value, weight, status, created_at FROM voting_vote WHERE voter_id = %s AND {fk} = %s FOR UPDATE"
)

_LISTENED_SQL = ("EXISTS (SELECT 1 FROM voting_listen l WHERE l.user_id = u.id AND l.track_id = %(target)s "
                 "AND l.seconds >= %(listen_seconds)s)")

_INSERT_VOTE_SQL = """
INSERT INTO voting_vote (voter_id, {fk}, value, weight, listened, shared, status, flag_reason, created_at,
                         updated_at)
VALUES (%s, %s, %s, %s, %s, %s, 'counted', '', %s, %s)
ON CONFLICT DO NOTHING
RETURNING id
"""

_APPLY_DELTA_SQL = """
UPDATE {table} SET
  upvotes = upvotes + %s, downvotes = downvotes + %s, score = score + %s, score_daily = score_daily + %s,
  score_weekly = score_weekly + %s, score_monthly = score_monthly + %s,
  -- the vote's trending term at the epoch, read here: after the context query took the epoch lock
  trending_at_epoch = trending_at_epoch + %s * exp((%s - {epoch}) * %s) - %s * exp((%s - {epoch}) * %s),
  updated_at = now()
WHERE {fk} = %s{only_if}
RETURNING upvotes, downvotes, score
"""

# A new vote, inserted and counted in one statement: the score changes only if the insert happened (a
# concurrent request may have inserted it first). Answers the new vote's id (NULL when not inserted)
# and the score after it (NULLs when the target has no score row yet).
_INSERT_AND_COUNT_SQL = """
WITH ins AS ({insert}), upd AS ({apply})
SELECT (SELECT id FROM ins), upd.upvotes, upd.downvotes, upd.score FROM (SELECT 1) one LEFT JOIN upd ON true
"""


def cast_vote(voter, target, value, counted=None):
    """Record `voter`'s vote (1 up, -1 down, 0 withdraw) on a track or tool and update its score.

    Runs a constant number of queries whatever the vote count. Idempotent: repeating the
    same vote changes nothing, and concurrent identical votes count once (the unique
    constraint decides; the loser finds the winner's row and has nothing to do).
    Raises VoteRefused for a vote the rules forbid and RateLimited past the voter's limits. `counted`:
    this attempt's count on the voter's limits, made already (voting.ratelimit.check_vote_rate).
    """
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = None
    if value not in (1, -1, 0):
        raise VoteRefused("A vote is 1 (up), -1 (down) or 0 (withdraw).", "invalid_vote", "vote")
    fk, table = _target_columns(target)
    if fk == "track_id" and target.creator_id == voter.pk:
        raise VoteRefused("You cannot vote on your own work.", "self_vote", "target_id")
    rate = check_vote_rate(voter, counted)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        listened_sql = _LISTENED_SQL if fk == "track_id" else "true"  # tool votes need no preview
        cursor.execute(
            _CONTEXT_SQL.format(fk=fk, counted=COUNTED, listened=listened_sql, family=family_sql("p.id"),
                                principal_join=principal_join("u"), principal=principal_sql("u"),
                                lock_epoch=trending.LOCK_SHARED_SQL, target_join=_TARGET_JOINS[fk],
                                creator=_TARGET_CREATORS[fk], heard=_TARGET_HEARD[fk]),
            {"target": target.pk, "voter": voter.pk, "listen_seconds": weights.LISTEN_SECONDS},
        )
        context = cursor.fetchone()[2:]  # after the epoch lock and the commit setting
        (principal_id, joined, reputation, verified, trust, listened, active, found, creator_id, own_work, heard,
         family_voted, *existing) = context
        if not found:
            kind = "track" if fk == "track_id" else "tool"
            raise VoteRefused(f"No {kind} with this id.", "not_found", "target_id")
        if fk == "track_id":
            target.creator_id = creator_id
        if own_work:
            mine = "your own work" if creator_id == voter.pk else "your own or your agents' work"
            raise VoteRefused(f"You cannot vote on {mine}.", "self_vote", "target_id")
        standing = weights.Standing(principal_id, joined, reputation, verified, trust, active)
        weight = 0.0 if family_voted else weights.weight_for(standing, now, listened=listened)
        old = _parse_row(existing) if existing[0] is not None else None
        values = [voter.pk, target.pk, value, weight, listened, family_voted, now, now]
        if old is None and value != 0:
            row = _insert_and_count(cursor, fk, table, values, now)
            if row is not None:  # the usual vote: a new one
                return _counted(target, fk, heard, value, weight, row, rate)
            old = _insert_or_lock(cursor, fk, values)  # a concurrent request's row: changed below
        if old is not None and old["value"] == value:
            return replace(_unchanged(cursor, table, fk, target, value, old["weight"]), rate=rate)
        if old is None and value == 0:
            return replace(_unchanged(cursor, table, fk, target, 0, 0.0), rate=rate)
        delta = dict.fromkeys(SCORE_FIELDS, 0.0)
        # trending: (signed weight, vote time) added and removed, put at the epoch by _APPLY_DELTA_SQL
        trend_added, trend_removed = (0.0, now), (0.0, now)
        if old is not None:
            removed = contribution(old["value"], old["weight"], old["status"], old["created_at"], now)
            delta = {k: delta[k] - removed[k] for k in SCORE_FIELDS}
            if old["status"] in COUNTED_STATUSES:
                trend_removed = (old["value"] * old["weight"], old["created_at"])
            if value == 0:
                cursor.execute("DELETE FROM voting_vote WHERE id = %s", [old["id"]])
            else:
                cursor.execute(
                    "UPDATE voting_vote SET value = %s, weight = %s, listened = %s, shared = %s, created_at = %s,"
                    " updated_at = %s WHERE id = %s",
                    [value, weight, listened, family_voted, now, now, old["id"]],
                )
        status = old["status"] if old is not None else Vote.Status.COUNTED
        if value != 0:
            added = contribution(value, weight, status, now, now)
            delta = {k: delta[k] + added[k] for k in SCORE_FIELDS}
            if status in COUNTED_STATUSES:
                trend_added = (value * weight, now)
        cursor.execute(_APPLY_DELTA_SQL.format(table=table, fk=fk, epoch=trending.EPOCH_SQL, only_if=""),
                       _delta_params(delta, trend_added, trend_removed, target.pk))
        row = cursor.fetchone()
        if row is None:
            row = _create_score_row(cursor, table, fk, target.pk)
        return _counted(target, fk, heard, value, weight, row, rate)


def _delta_params(delta, trend_added, trend_removed, pk):
    """_APPLY_DELTA_SQL's parameters: the aggregates' deltas, the trending terms added and removed."""
    return [*(delta[k] for k in SCORE_FIELDS[:-1]), trend_added[0], trend_added[1].timestamp(), trending.DECAY,
            trend_removed[0], trend_removed[1].timestamp(), trending.DECAY, pk]


def _insert_and_count(cursor, fk, table, values, now):
    """Insert a new counted vote (`values` as _INSERT_VOTE_SQL's) and add it to the score, in one statement:
    the score after it, or None when a concurrent request inserted the vote first (nothing changed)."""
    value, weight = values[2], values[3]
    added = contribution(value, weight, Vote.Status.COUNTED, now, now)
    sql = _INSERT_AND_COUNT_SQL.format(
        insert=_INSERT_VOTE_SQL.format(fk=fk).strip(),
        apply=_APPLY_DELTA_SQL.format(table=table, fk=fk, epoch=trending.EPOCH_SQL,
                                      only_if=" AND EXISTS (SELECT 1 FROM ins)").strip())
    cursor.execute(sql, [*values, *_delta_params(added, (value * weight, now), (0.0, now), values[1])])
    vote_id, *row = cursor.fetchone()
    if vote_id is None:
        return None
    if row[0] is None:  # the target's first vote: its score row, from the log (which has this vote)
        return _create_score_row(cursor, table, fk, values[1])
    return row


def _counted(target, fk, heard, value, weight, row, rate):
    """The result of a vote that changed something; on a track whose creator has a webhook for it (`heard`),
    its aggregated vote.received (one per track and window)."""
    upvotes, downvotes, score = row
    if fk == "track_id":
        webhook_events.vote_cast(target, heard=heard)
    return VoteResult(value, weight if value else 0.0, upvotes, downvotes, score, changed=True, rate=rate)


def _insert_or_lock(cursor, fk, values):
    """Insert the vote (None), or lock and return the row a concurrent request inserted first.

    That row may be gone again by the time we lock it (the same voter withdrew at once): then the
    insert is simply tried again, a bounded number of times.
    """
    for _ in range(5):
        cursor.execute(_INSERT_VOTE_SQL.format(fk=fk), values)
        if cursor.fetchone() is not None:
            return None
        cursor.execute(_LOCK_VOTE_SQL.format(fk=fk), values[:2])
        row = cursor.fetchone()
        if row is not None:
            return _parse_row(row)
    raise OperationalError("the vote row kept changing under a concurrent request")


def _parse_row(row):
    vote_id, value, weight, status, created_at = row
    return {"id": int(vote_id), "value": int(value), "weight": float(weight), "status": status,
            "created_at": created_at}


def _create_score_row(cursor, table, fk, pk):
    """The target's first aggregate row, built from the whole log under a row lock (racing voters queue)."""
    cursor.execute(f"INSERT INTO {table} ({fk}, {', '.join(SCORE_FIELDS)}, updated_at) "
                   f"VALUES (%s, 0, 0, 0, 0, 0, 0, 0, now()) ON CONFLICT DO NOTHING", [pk])
    cursor.execute(f"SELECT 1 FROM {table} WHERE {fk} = %s FOR UPDATE", [pk])
    _recompute(cursor, table, fk, [pk])
    return _read_score(cursor, table, fk, pk)


def _read_score(cursor, table, fk, pk):
    cursor.execute(f"SELECT upvotes, downvotes, score FROM {table} WHERE {fk} = %s", [pk])
    row = cursor.fetchone()
    return row if row else (0, 0, 0.0)


def _unchanged(cursor, table, fk, target, value, weight):
    upvotes, downvotes, score = _read_score(cursor, table, fk, target.pk)
    return VoteResult(value, weight, upvotes, downvotes, score, changed=False)


_RECOMPUTE = """
INSERT INTO {score_table} ({fk}, upvotes, downvotes, score, score_daily, score_weekly, score_monthly,
                           trending_at_epoch, updated_at)
SELECT t.id, coalesce(a.upvotes, 0), coalesce(a.downvotes, 0), coalesce(a.score, 0), coalesce(a.score_daily, 0),
       coalesce(a.score_weekly, 0), coalesce(a.score_monthly, 0), coalesce(a.trending, 0), now()
FROM {target_table} t
-- aggregate the vote log first (one scan and a hash aggregate), then join: not one index probe per target
LEFT JOIN (
    SELECT v.{fk} AS id,
           -- public counts: only votes that carry weight (not flagged, not held, one per agent family)
           count(*) FILTER (WHERE v.value = 1 AND v.weight > 0 AND v.status IN {counted}) AS upvotes,
           count(*) FILTER (WHERE v.value = -1 AND v.weight > 0 AND v.status IN {counted}) AS downvotes,
           sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}) AS score,
           sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}
                                           AND v.created_at >= now() - interval '1 day') AS score_daily,
           sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}
                                           AND v.created_at >= now() - interval '7 days') AS score_weekly,
           sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}
                                           AND v.created_at >= now() - interval '30 days') AS score_monthly,
           -- at the epoch (voting.trending); float8 throughout (date_part, not extract()'s slow numeric)
           sum(v.value * v.weight * exp((date_part('epoch', v.created_at) - {epoch}) * %s))
             FILTER (WHERE v.status IN {counted}) AS trending
    FROM voting_vote v
    WHERE v.{fk} = ANY(%s)
    GROUP BY 1
) a ON a.id = t.id
WHERE t.id = ANY(%s)
ON CONFLICT ({fk}) DO UPDATE SET
  upvotes = EXCLUDED.upvotes, downvotes = EXCLUDED.downvotes, score = EXCLUDED.score,
  score_daily = EXCLUDED.score_daily, score_weekly = EXCLUDED.score_weekly,
  score_monthly = EXCLUDED.score_monthly, trending_at_epoch = EXCLUDED.trending_at_epoch,
  updated_at = EXCLUDED.updated_at
-- write only rows that changed
WHERE {score_table}.upvotes <> EXCLUDED.upvotes OR {score_table}.downvotes <> EXCLUDED.downvotes
   OR abs({score_table}.score - EXCLUDED.score) > 1e-9
   OR abs({score_table}.score_daily - EXCLUDED.score_daily) > 1e-9
   OR abs({score_table}.score_weekly - EXCLUDED.score_weekly) > 1e-9
   OR abs({score_table}.score_monthly - EXCLUDED.score_monthly) > 1e-9
   OR abs({score_table}.trending_at_epoch - EXCLUDED.trending_at_epoch)
      > 1e-9 * greatest(abs({score_table}.trending_at_epoch), abs(EXCLUDED.trending_at_epoch))
"""

_TARGETS = {
    "voting_trackscore": ("track_id", "marketplace_track"),
    "voting_toolscore": ("tool_id", "marketplace_tool"),
}


def _recompute(cursor, score_table, fk, ids):
    """Exactly rewrite the given targets' rows (the caller holds the epoch lock shared)."""
    target_table = _TARGETS[score_table][1]
    sql = _RECOMPUTE.format(score_table=score_table, fk=fk, target_table=target_table, counted=COUNTED,
                            epoch=trending.EPOCH_SQL)
    cursor.execute(sql, [trending.DECAY, list(ids), list(ids)])


# A full recompute: the whole log aggregated once per target kind (into a temporary table), with as little
# work per vote as the definitions allow (at 1M votes that scan is most of the time):
# - the status test once, in WHERE (a flagged vote adds to nothing), not once per aggregate;
# - the windows' edges and the epoch as parameters, not `now() - interval` evaluated per row;
# - the trending term as one exp() of a float8 epoch (date_part), not power() of extract()'s numeric.
# Each score row is paired with its new values (zero when its votes are all gone or flagged), and only rows
# whose values moved are written, by a plain UPDATE: an INSERT ... ON CONFLICT DO UPDATE locks, and so
# rewrites the header of, every row it meets, changed or not. Trending is stored at a fixed epoch
# (voting.trending), so it moves only when the row's votes do: time passing rewrites no row (only votes
# leaving the daily, weekly and monthly windows do). It is compared relatively (values at the epoch grow
# as 2^(days/1 day) between rebases); the other sums absolutely.
_AGGREGATE_ALL = """
CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS
SELECT v.{fk} AS id,
       count(*) FILTER (WHERE v.value = 1 AND v.weight > 0)::int AS upvotes,
       count(*) FILTER (WHERE v.value = -1 AND v.weight > 0)::int AS downvotes,
       sum(v.value * v.weight) AS score,
       sum(v.value * v.weight) FILTER (WHERE v.created_at >= %(day)s) AS score_daily,
       sum(v.value * v.weight) FILTER (WHERE v.created_at >= %(week)s) AS score_weekly,
       sum(v.value * v.weight) FILTER (WHERE v.created_at >= %(month)s) AS score_monthly,
       sum(v.value * v.weight * exp((date_part('epoch', v.created_at) - %(epoch)s) * %(decay)s)) AS trending
FROM voting_vote v
WHERE v.{fk} IS NOT NULL AND v.status IN {counted}
GROUP BY 1
"""
_WRITE_CHANGED = """
UPDATE {score_table} s SET upvotes = n.upvotes, downvotes = n.downvotes, score = n.score,
       score_daily = n.score_daily, score_weekly = n.score_weekly, score_monthly = n.score_monthly,
       trending_at_epoch = n.trending, updated_at = now()
FROM (
    SELECT s.{fk} AS id, coalesce(a.upvotes, 0) AS upvotes, coalesce(a.downvotes, 0) AS downvotes,
           coalesce(a.score, 0) AS score, coalesce(a.score_daily, 0) AS score_daily,
           coalesce(a.score_weekly, 0) AS score_weekly, coalesce(a.score_monthly, 0) AS score_monthly,
           coalesce(a.trending, 0) AS trending
    FROM {score_table} s LEFT JOIN {temp} a ON a.id = s.{fk}
    WHERE s.upvotes <> coalesce(a.upvotes, 0) OR s.downvotes <> coalesce(a.downvotes, 0)
       OR abs(s.score - coalesce(a.score, 0)) > 1e-9
       OR abs(s.score_daily - coalesce(a.score_daily, 0)) > 1e-9
       OR abs(s.score_weekly - coalesce(a.score_weekly, 0)) > 1e-9
       OR abs(s.score_monthly - coalesce(a.score_monthly, 0)) > 1e-9
       OR abs(s.trending_at_epoch - coalesce(a.trending, 0))
          > 1e-9 * greatest(abs(s.trending_at_epoch), abs(coalesce(a.trending, 0)))
) n
WHERE s.{fk} = n.id
"""
# Every target has a score row from birth (voting.signals); targets made in bulk get theirs here, with their
# values from the same aggregate (one write each; a targeted recompute over 100k new ids took minutes).
# The targets without one are found first, by a statement of their own: found while inserting, an empty score
# table (planned as one row) was the inner side of a nested-loop anti join, scanned again for every target
# as the insert grew it (quadratic: over 80 minutes at 1M tracks, where this takes about a minute).
_FIND_MISSING = """
CREATE TEMPORARY TABLE {missing} ON COMMIT DROP AS
SELECT id FROM {target_table} EXCEPT SELECT {fk} FROM {score_table}
"""
_INSERT_MISSING = """
INSERT INTO {score_table} ({fk}, upvotes, downvotes, score, score_daily, score_weekly, score_monthly,
                           trending_at_epoch, updated_at)
SELECT m.id, coalesce(a.upvotes, 0), coalesce(a.downvotes, 0), coalesce(a.score, 0), coalesce(a.score_daily, 0),
       coalesce(a.score_weekly, 0), coalesce(a.score_monthly, 0), coalesce(a.trending, 0), now()
FROM {missing} m LEFT JOIN {temp} a ON a.id = m.id
ON CONFLICT ({fk}) DO NOTHING
"""


def _recompute_all(cursor, score_table, fk, edges):
    temp, missing = f"recompute_{fk}", f"recompute_missing_{fk}"
    names = {"score_table": score_table, "fk": fk, "target_table": _TARGETS[score_table][1], "temp": temp,
             "missing": missing}
    # The aggregate as a table of its own: a SELECT may run in parallel, the SELECT inside an UPDATE may not.
    cursor.execute(f"DROP TABLE IF EXISTS {temp}, {missing}")  # an earlier full recompute in this transaction
    cursor.execute(_AGGREGATE_ALL.format(counted=COUNTED, **names), edges)
    cursor.execute(_FIND_MISSING.format(**names))
    # A temporary table has no statistics until asked (autovacuum never sees one): the joins below are
    # planned from its real size, not a guess.
    cursor.execute(f"ANALYZE {temp}, {missing}")
    cursor.execute(_INSERT_MISSING.format(**names))
    cursor.execute(_WRITE_CHANGED.format(**names))
    cursor.execute(f"DROP TABLE {temp}, {missing}")


def _window_edges(cursor):
    """The windows' first instants, from the database's clock (as `now()` was), and the trending epoch."""
    cursor.execute(f"SELECT now(), {trending.EPOCH_SQL}")
    now, epoch = cursor.fetchone()
    edges = {f"{name}": now - PERIODS[field] for name, field in
             (("day", "score_daily"), ("week", "score_weekly"), ("month", "score_monthly"))}
    return {**edges, "epoch": epoch, "decay": trending.DECAY}


def recompute_scores(track_ids=None, tool_ids=None):
    """Rewrite weighted scores from the vote log; all targets, or only the given ids.

    Set-based SQL per target kind: the database does the work (a targeted recompute is one
    INSERT ... SELECT ... GROUP BY ... ON CONFLICT over the given ids; a full one aggregates the whole
    log once and writes only the rows that changed).
    """
    only_some = track_ids is not None or tool_ids is not None
    with transaction.atomic(), connection.cursor() as cursor:
        trending.take_shared_lock(cursor)  # before anything reads the epoch: no rebase until this commits
        if not only_some:  # the whole log's hash aggregate fits in memory rather than spilling to disk
            cursor.execute("SET LOCAL work_mem = '64MB'")
            edges = _window_edges(cursor)
        for score_table, (fk, _), ids in [
            ("voting_trackscore", _TARGETS["voting_trackscore"], track_ids),
            ("voting_toolscore", _TARGETS["voting_toolscore"], tool_ids),
        ]:
            if not only_some:
                _recompute_all(cursor, score_table, fk, edges)
            elif ids:
                _recompute(cursor, score_table, fk, ids)
    if not only_some:
        # A full recompute also rewrites the cached rankings, once its scores are committed.
        from voting.rankings import refresh_rankings

        transaction.on_commit(refresh_rankings)


# --- Reputation --------------------------------------------------------------------------------

_REWEIGH_SQL = """
WITH w AS (SELECT unnest(%s::bigint[]) AS principal_id, unnest(%s::float8[]) AS heard,
                  unnest(%s::float8[]) AS unheard),
family AS (
    SELECT principal_id AS voter_id, heard, unheard FROM w
    UNION ALL
    SELECT a.user_id, w.heard, w.unheard FROM w JOIN accounts_agent a ON a.owner_id = w.principal_id
)
UPDATE voting_vote v SET weight = CASE WHEN v.listened OR v.tool_id IS NOT NULL THEN family.heard
                                       ELSE family.unheard END
FROM family
WHERE v.voter_id = family.voter_id AND NOT v.shared
  AND v.weight <> CASE WHEN v.listened OR v.tool_id IS NOT NULL THEN family.heard ELSE family.unheard END
RETURNING v.track_id, v.tool_id
"""


def reweigh_votes(principal_ids):
    """Re-weigh every vote of these principals' families; return the targets touched.

    Votes a family shares stay at weight 0 (one family, one weight per target).
    """
    if not principal_ids:
        return set(), set()
    now = timezone.now()
    with connection.cursor() as cursor:
        found = weights.standings(cursor, principal_ids)
        ids = list(found)
        cursor.execute(_REWEIGH_SQL, [ids, [weights.weight_for(found[i], now) for i in ids],
                                      [weights.weight_for(found[i], now, listened=False) for i in ids]])
        rows = cursor.fetchall()
    return {t for t, _ in rows if t}, {o for _, o in rows if o}


def recompute_targets(track_ids, tool_ids):
    """Recompute only the touched targets (an empty set means none, not all)."""
    if track_ids or tool_ids:
        recompute_scores(track_ids=sorted(track_ids), tool_ids=sorted(tool_ids))


def family_of(user_id):
    """A subquery of the ids whose work a user may not vote on: their family (family_sql of their
    principal), the very SQL cast_vote refuses by. Use it as `exclude(creator_id__in=family_of(user.pk))`
    (no query of its own)."""
    from django.db.models.expressions import RawSQL

    return RawSQL(f"SELECT f.id FROM accounts_user me {principal_join('me')} "
                  f"CROSS JOIN LATERAL ({family_sql(principal_sql('me'))}) f (id) WHERE me.id = %s", [user_id])


def principal_of(user_id):
    from accounts.models import Agent

    owner = Agent.objects.filter(user_id=user_id).values_list("owner_id", flat=True).first()
    return owner or user_id


@transaction.atomic
def change_reputation(user, delta, reason, source):
    """Record a reputation change as an event, re-weigh the family's votes, recompute their targets."""
    principal = principal_of(user.pk)
    ReputationEvent.objects.create(user_id=principal, delta=delta, reason=reason[:200], source=source[:60])
    User.objects.filter(pk=principal).update(reputation=F("reputation") + delta)
    recompute_targets(*reweigh_votes([principal]))


def _lock_votes(votes):
    ids = list(votes.values_list("pk", flat=True))
    return list(Vote.objects.filter(pk__in=ids).select_for_update(of=("self",)).order_by("pk"))


def _targets_of(votes):
    return {v.track_id for v in votes if v.track_id}, {v.tool_id for v in votes if v.tool_id}


@transaction.atomic
def confirm_abuse(votes, moderator):
    """A moderator confirms flagged votes as abuse: they keep weighing zero and cost their voters reputation."""
    votes = _lock_votes(votes)
    Vote.objects.filter(pk__in=[v.pk for v in votes]).update(status=Vote.Status.CONFIRMED)
    by_voter = {}
    for vote in votes:
        by_voter.setdefault(vote.voter_id, []).append(vote)
    for voter_id, own in by_voter.items():
        reasons = "; ".join(sorted({v.flag_reason or "flagged" for v in own}))
        change_reputation(
            User(pk=voter_id), weights.CONFIRMED_ABUSE_PENALTY * len(own),
            f"confirmed abuse on {len(own)} vote(s): {reasons}", f"moderator:{moderator.pk}",
        )
    recompute_targets(*_targets_of(votes))
    return len(votes)


@transaction.atomic
def clear_votes(votes, moderator):
    """A moderator clears flagged votes: they count again at their stored weight."""
    votes = _lock_votes(votes)
    Vote.objects.filter(pk__in=[v.pk for v in votes]).update(status=Vote.Status.CLEARED)
    recompute_targets(*_targets_of(votes))
    return len(votes)


_CONSENSUS_SQL = """
WITH matured AS (
    SELECT coalesce(a.owner_id, v.voter_id) AS principal_id,
           sum(CASE WHEN sign(v.value) = sign(s.score) THEN 1 ELSE -1 END) AS net
    FROM voting_vote v
    JOIN voting_trackscore s ON s.track_id = v.track_id
    LEFT JOIN accounts_agent a ON a.user_id = v.voter_id
    WHERE v.created_at < now() - make_interval(days => %(maturity)s)
      AND v.status IN {counted} AND s.upvotes + s.downvotes >= %(min_votes)s AND s.score <> 0
    GROUP BY 1
), wanted AS (
    SELECT principal_id, greatest(-%(cap)s, least(%(cap)s, %(point)s * net)) AS points FROM matured
), current AS (
    SELECT user_id, sum(delta) AS points FROM voting_reputationevent WHERE source = 'consensus' GROUP BY user_id
), changes AS (
    SELECT w.principal_id, w.points - coalesce(c.points, 0) AS delta
    FROM wanted w LEFT JOIN current c ON c.user_id = w.principal_id
    WHERE abs(w.points - coalesce(c.points, 0)) >= %(point)s / 2
), events AS (
    INSERT INTO voting_reputationevent (user_id, delta, reason, source, created_at)
    SELECT principal_id, delta, 'agreement of past votes with the later consensus', 'consensus', now() FROM changes
    RETURNING user_id, delta
)
UPDATE accounts_user u SET reputation = u.reputation + e.delta FROM events e WHERE u.id = e.user_id
RETURNING u.id
"""


@transaction.atomic
def reward_consensus(maturity_days=7, min_votes=5):
    """Move each principal's consensus reputation to 0.2 × (agreeing − disagreeing matured votes), capped.

    Set-based and idempotent: only the difference from the consensus events already
    recorded becomes a new event. Returns the ids of principals whose reputation changed.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _CONSENSUS_SQL.format(counted=COUNTED),
            {"maturity": maturity_days, "min_votes": min_votes, "cap": weights.CONSENSUS_CAP,
             "point": weights.CONSENSUS_POINT},
        )
        changed = [row[0] for row in cursor.fetchall()]
    recompute_targets(*reweigh_votes(changed))
    return changed

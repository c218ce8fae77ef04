"""Detectors for vote manipulation, each one set-based UPDATE over recent votes, relative to the store.

A detected vote is kept but marked SUSPECTED with a reason; it weighs zero and leaves every
score, window, public count and tie-break until a moderator confirms (abuse: it stays out and
costs reputation) or clears it in the admin. Only COUNTED votes are flagged, so a cleared vote is
never flagged again. No detector uses a fixed "N votes an hour" line a ring could stay under:

- serial voting (Stack Overflow's serial-voting reversal): one voter casting SERIAL_MIN
  same-direction votes on one creator's tracks within a day;
- lockstep groups (CopyCatch, Beutel et al. 2013; Product Hunt's vote rings): accounts of any age
  that voted the same way on LOCK_SHARED+ of the same targets, each within LOCK_WINDOW of the
  other, where those shared targets are most of what both did in the last two days — flagged
  when the account has LOCK_PARTNERS+ such partners (a group of 5 or more);
  and one owner's agents voting together on a target;
- slow drips: the same test over seven days without the time window, among accounts still inside
  the age ramp, whose week's votes are almost all the shared targets;
- co-registration: accounts signed up within a day of each other from one address and browser
  (salted hashes), in groups of 5+, or inside a sign-up burst (an hour with SIGNUP_BURST_FACTOR×
  the store's hourly average), that voted the same way on a shared target with 4+ of them;
- velocity: a track whose last hour has SPIKE_FACTOR× both its own hourly average of the week
  before and the store's average hourly votes per voted track (at least SPIKE_FLOOR votes): the
  votes in it of accounts still inside the age ramp.
"""

from django.db import connection, transaction

from voting.services import recompute_targets

RAMP = "30 days"  # accounts younger than this are still earning their weight (weights.AGE_RAMP_DAYS)
SERIAL_MIN = 10
LOCK_SHARED = 3
LOCK_PARTNERS = 4
LOCK_WINDOW = "1 hour"
LOCK_OVERLAP = 0.5
DRIP_OVERLAP = 0.8
SIGNUP_GROUP = 5
SIGNUP_BURST_FACTOR = 5
SPIKE_FLOOR = 5
SPIKE_FACTOR = 5

_FLAG = """
UPDATE voting_vote v SET status = 'suspected', flag_reason = f.reason
FROM ({select}) f
WHERE v.id = f.id AND v.status = 'counted'
RETURNING v.track_id, v.tool_id
"""

SERIAL = f"""
SELECT v.id, 'serial voting: ' || g.n || ' votes on one creator''s tracks within a day' AS reason
FROM voting_vote v
JOIN marketplace_track t ON t.id = v.track_id
JOIN (SELECT v.voter_id, t.creator_id, v.value, count(*) AS n
      FROM voting_vote v JOIN marketplace_track t ON t.id = v.track_id
      WHERE v.created_at >= now() - interval '1 day' AND v.status = 'counted'
      GROUP BY 1, 2, 3 HAVING count(*) >= {SERIAL_MIN}) g
  ON g.voter_id = v.voter_id AND g.creator_id = t.creator_id AND g.value = v.value
WHERE v.created_at >= now() - interval '1 day'
"""


def _group_sql(days, window, overlap, young_only, label):
    """Accounts voting in lockstep: pairs with LOCK_SHARED+ shared same-direction targets (each pair of
    votes within `window`, if any) that are at least `overlap` of both accounts' votes in the period."""
    pair_time = f"AND abs(extract(epoch FROM a.created_at - b.created_at)) <= extract(epoch FROM interval '{window}')" \
        if window else ""
    young = f"AND v.created_at - u.date_joined < interval '{RAMP}'" if young_only else ""
    return f"""
WITH recent AS (
    SELECT v.id, v.voter_id, coalesce(v.track_id, 0) AS track, coalesce(v.tool_id, 0) AS tool, v.value,
           v.created_at
    FROM voting_vote v JOIN accounts_user u ON u.id = v.voter_id
    WHERE v.created_at >= now() - interval '{days} days' AND v.status IN ('counted', 'suspected') {young}
), totals AS (
    SELECT voter_id, count(*) AS n FROM recent GROUP BY 1 HAVING count(*) >= {LOCK_SHARED}
), candidates AS (
    SELECT r.* FROM recent r JOIN totals t ON t.voter_id = r.voter_id
), pairs AS (
    SELECT a.voter_id, b.voter_id AS partner, count(DISTINCT (a.track, a.tool)) AS shared
    FROM candidates a JOIN candidates b
      ON a.track = b.track AND a.tool = b.tool AND a.value = b.value AND a.voter_id <> b.voter_id {pair_time}
    GROUP BY 1, 2 HAVING count(DISTINCT (a.track, a.tool)) >= {LOCK_SHARED}
), overlapping AS (
    SELECT p.voter_id, p.partner
    FROM pairs p
    JOIN totals ta ON ta.voter_id = p.voter_id
    JOIN totals tb ON tb.voter_id = p.partner
    WHERE p.shared >= {overlap} * greatest(ta.n, tb.n)
), members AS (
    SELECT voter_id, count(*) AS partners FROM overlapping GROUP BY 1 HAVING count(*) >= {LOCK_PARTNERS}
)
SELECT c.id, '{label}: voted in step with ' || m.partners || ' other accounts' AS reason
FROM candidates c JOIN members m ON m.voter_id = c.voter_id
WHERE c.created_at >= now() - interval '{days} days'
"""


LOCKSTEP = _group_sql(2, LOCK_WINDOW, LOCK_OVERLAP, young_only=False, label="lockstep group")
DRIP = _group_sql(7, None, DRIP_OVERLAP, young_only=True, label="slow drip")

AGENT_RING = """
SELECT v.id, 'agent ring: ' || g.n || ' agents of one owner voted on this target' AS reason
FROM voting_vote v
JOIN accounts_agent a ON a.user_id = v.voter_id
JOIN (SELECT a.owner_id, coalesce(v.track_id, 0) AS track, coalesce(v.tool_id, 0) AS tool, count(*) AS n
      FROM voting_vote v JOIN accounts_agent a ON a.user_id = v.voter_id
      WHERE v.created_at >= now() - interval '2 days'
      GROUP BY 1, 2, 3 HAVING count(*) >= 2) g
  ON g.owner_id = a.owner_id AND g.track = coalesce(v.track_id, 0) AND g.tool = coalesce(v.tool_id, 0)
WHERE v.created_at >= now() - interval '2 days'
"""

CO_REGISTRATION = f"""
WITH joined AS (
    SELECT u.id, u.date_joined, f.ip_hash, f.ua_hash
    FROM accounts_user u LEFT JOIN voting_signupfingerprint f ON f.user_id = u.id
    WHERE u.date_joined >= now() - interval '{RAMP}'
), store_rate AS (  -- the store's average sign-ups per hour over the ramp period
    SELECT greatest(1.0, count(*) / (30 * 24.0)) AS per_hour FROM joined
), bursts AS (
    SELECT date_trunc('hour', date_joined) AS hour FROM joined, store_rate
    GROUP BY 1, store_rate.per_hour HAVING count(*) >= {SIGNUP_BURST_FACTOR} * store_rate.per_hour
       AND count(*) >= {SIGNUP_GROUP}
), fingerprints AS (
    SELECT ip_hash, ua_hash, date_trunc('day', date_joined) AS day FROM joined
    WHERE ip_hash <> '' GROUP BY 1, 2, 3 HAVING count(*) >= {SIGNUP_GROUP}
), suspects AS (
    SELECT j.id FROM joined j JOIN bursts b ON b.hour = date_trunc('hour', j.date_joined)
    UNION
    SELECT j.id FROM joined j JOIN fingerprints f
      ON f.ip_hash = j.ip_hash AND f.ua_hash = j.ua_hash AND f.day = date_trunc('day', j.date_joined)
), votes AS (
    SELECT v.id, v.voter_id, coalesce(v.track_id, 0) AS track, coalesce(v.tool_id, 0) AS tool, v.value
    FROM voting_vote v JOIN suspects s ON s.id = v.voter_id
    WHERE v.created_at >= now() - interval '7 days' AND v.status IN ('counted', 'suspected')
), together AS (
    SELECT track, tool, value FROM votes GROUP BY 1, 2, 3 HAVING count(DISTINCT voter_id) >= {SIGNUP_GROUP}
)
SELECT v.id, 'co-registration: signed up together with other accounts voting the same way' AS reason
FROM votes v JOIN together t ON t.track = v.track AND t.tool = v.tool AND t.value = v.value
"""

SPIKE = f"""
WITH store AS (  -- the store's average votes per hour on a track that got any in the week before
    SELECT greatest(1.0, count(*)::float8 / greatest(1, count(DISTINCT track_id)) / 168.0) AS per_hour
    FROM voting_vote
    WHERE track_id IS NOT NULL AND created_at >= now() - interval '8 days' AND created_at < now() - interval '1 hour'
), recent AS (
    SELECT track_id, count(*) AS n FROM voting_vote
    WHERE created_at >= now() - interval '1 hour' AND track_id IS NOT NULL
    GROUP BY 1 HAVING count(*) >= {SPIKE_FLOOR}
), spikes AS (
    SELECT r.track_id, r.n FROM recent r, store
    WHERE r.n >= {SPIKE_FACTOR} * store.per_hour
      AND r.n >= {SPIKE_FACTOR} * (
        SELECT count(*) / 168.0 FROM voting_vote p
        WHERE p.track_id = r.track_id
          AND p.created_at >= now() - interval '8 days' AND p.created_at < now() - interval '1 hour')
)
SELECT v.id, 'velocity spike: ' || s.n || ' votes in an hour against this track''s and the store''s pace; '
             'young account' AS reason
FROM spikes s
JOIN voting_vote v ON v.track_id = s.track_id
JOIN accounts_user u ON u.id = v.voter_id
WHERE v.created_at >= now() - interval '1 hour' AND v.created_at - u.date_joined < interval '{RAMP}'
"""

DETECTORS = {"serial": SERIAL, "ring": LOCKSTEP, "drip": DRIP, "agent_ring": AGENT_RING,
             "co_registration": CO_REGISTRATION, "spike": SPIKE}


@transaction.atomic
def detect_abuse():
    """Run every detector, flag what they find, recompute the touched targets; return counts per detector."""
    counts, tracks, tools = {}, set(), set()
    with connection.cursor() as cursor:
        for name, select in DETECTORS.items():
            cursor.execute(_FLAG.format(select=select))
            rows = cursor.fetchall()
            counts[name] = len(rows)
            tracks.update(t for t, _ in rows if t)
            tools.update(o for _, o in rows if o)
    recompute_targets(tracks, tools)
    return counts

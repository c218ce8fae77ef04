"""Detectors for vote manipulation, each one set-based UPDATE over recent votes.

A detected vote is kept but marked SUSPECTED with a reason; it weighs zero until a
moderator confirms (abuse: it stays at zero and costs reputation) or clears it in the
admin. Only COUNTED votes are flagged, so a cleared vote is never flagged again.

- serial voting (Stack Overflow's serial-voting reversal): one voter casting
  SERIAL_MIN same-direction votes on one creator's tracks within a day;
- rings (Product Hunt's vote rings): young accounts that vote the same way on the same
  targets as several other young accounts (RING_SHARED targets in common with at least
  RING_PARTNERS others within two days), and one owner's agents voting together on a
  target;
- velocity spikes: a track receiving SPIKE_MIN votes in the last hour and SPIKE_FACTOR
  times its hourly average of the week before; the votes of young accounts in the
  spike are flagged.
"""

from django.db import connection, transaction

from voting.services import recompute_targets

YOUNG = "7 days"
SERIAL_MIN = 10
RING_SHARED = 4
RING_PARTNERS = 4
SPIKE_MIN = 20
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

RING = f"""
WITH young AS (
    SELECT v.id, v.voter_id, coalesce(v.track_id, 0) AS track, coalesce(v.tool_id, 0) AS tool, v.value
    FROM voting_vote v JOIN accounts_user u ON u.id = v.voter_id
    WHERE v.created_at >= now() - interval '2 days' AND v.status = 'counted'
      AND v.created_at - u.date_joined < interval '{YOUNG}'
), pairs AS (
    SELECT a.voter_id, b.voter_id AS partner
    FROM young a JOIN young b
      ON a.track = b.track AND a.tool = b.tool AND a.value = b.value AND a.voter_id <> b.voter_id
    GROUP BY 1, 2 HAVING count(*) >= {RING_SHARED}
), members AS (
    SELECT voter_id, count(*) AS partners FROM pairs GROUP BY 1 HAVING count(*) >= {RING_PARTNERS}
)
SELECT y.id, 'vote ring: young account voting with ' || m.partners || ' other young accounts' AS reason
FROM young y JOIN members m ON m.voter_id = y.voter_id
"""

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

SPIKE = f"""
WITH recent AS (
    SELECT track_id, count(*) AS n FROM voting_vote
    WHERE created_at >= now() - interval '1 hour' AND track_id IS NOT NULL
    GROUP BY 1 HAVING count(*) >= {SPIKE_MIN}
), spikes AS (
    SELECT r.track_id, r.n FROM recent r
    WHERE r.n >= {SPIKE_FACTOR} * (
        SELECT count(*) / 168.0 FROM voting_vote p
        WHERE p.track_id = r.track_id
          AND p.created_at >= now() - interval '8 days' AND p.created_at < now() - interval '1 hour')
)
SELECT v.id, 'velocity spike: ' || s.n || ' votes in an hour; young account' AS reason
FROM spikes s
JOIN voting_vote v ON v.track_id = s.track_id
JOIN accounts_user u ON u.id = v.voter_id
WHERE v.created_at >= now() - interval '1 hour' AND v.created_at - u.date_joined < interval '{YOUNG}'
"""

DETECTORS = {"serial": SERIAL, "ring": RING, "agent_ring": AGENT_RING, "spike": SPIKE}


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

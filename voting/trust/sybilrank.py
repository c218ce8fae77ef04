"""Earned trust: a SybilRank-style short random walk from trusted seeds over the interaction graph.

SybilRank (Cao et al., NSDI 2012) starts all trust on accounts known to be real and spreads it
by an early-terminated random walk (about log2(n) steps) over the social graph, then ranks every
account by its degree-normalised trust. A cluster of fake accounts is reached only through its few
links to the real part of the graph (the attack edges), so whatever it creates inside itself, the
trust that can flow into it is bounded by those links; the walk stops long before it could mix
into the cluster.

Our graph (undirected, weighted) joins accounts and tracks:
- follows: follower — creator;
- authorship: creator — their published track (so trust in a seed creator reaches their work);
- early agreement: a voter — a track they voted on *before* it proved itself (among the first half
  of its counted votes) and in the direction the community later settled on (at least
  `MIN_VOTES` counted votes, score of the same sign). Copying the crowd on an already popular
  track earns nothing;
- co-listening: a listener — a track whose preview they heard for 10 s (a lighter edge).

Seeds: staff and staff-verified creators (tier "verified"). An account's trust is its walk value
divided by its degree, relative to the value an account would hold once the walk had mixed,
capped at 1. The job writes `voting_trust` and re-weighs the votes of accounts whose weight
depends on trust (those still inside the age ramp).
"""

import math
import time

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from voting import weights

MIN_VOTES = 5
FOLLOW_WEIGHT = 1.0
AUTHOR_WEIGHT = 1.0
AGREE_WEIGHT = 1.0
LISTEN_WEIGHT = 0.25
# An account holding this share of the mixed per-degree trust counts as fully trusted.
FULL_TRUST_SHARE = 0.5
CHANGE_EPSILON = 0.01

_EDGES_SQL = {
    "follow": "SELECT follower_id, creator_id FROM accounts_follow",
    "author": "SELECT creator_id, id FROM marketplace_track WHERE status = 'published'",
    "agree": """
        WITH ranked AS (
            SELECT v.voter_id, v.track_id, v.value,
                   row_number() OVER (PARTITION BY v.track_id ORDER BY v.created_at, v.id) AS nth
            FROM voting_vote v
            WHERE v.track_id IS NOT NULL AND v.status IN ('counted', 'cleared') AND NOT v.shared
        )
        SELECT r.voter_id, r.track_id
        FROM ranked r JOIN voting_trackscore s ON s.track_id = r.track_id
        WHERE s.upvotes + s.downvotes >= %(min_votes)s AND r.nth * 2 <= s.upvotes + s.downvotes
          AND sign(r.value) = sign(s.score) AND s.score <> 0
    """,
    "listen": "SELECT user_id, track_id FROM voting_listen WHERE seconds >= %(listen_seconds)s",
}
_SEEDS_SQL = "SELECT id FROM accounts_user WHERE is_active AND (is_staff OR tier = 'verified')"


def _fetch_pairs(cursor, sql):
    cursor.execute(sql, {"min_votes": MIN_VOTES, "listen_seconds": weights.LISTEN_SECONDS})
    rows = cursor.fetchall()
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    pairs = np.array(rows, dtype=np.int64)
    return pairs[:, 0], pairs[:, 1]


def compute_trust(cursor):
    """{user id: trust in [0, 1]} for every account with an edge; seeds included. Returns (trust, stats)."""
    from scipy import sparse

    follows = _fetch_pairs(cursor, _EDGES_SQL["follow"])
    authors = _fetch_pairs(cursor, _EDGES_SQL["author"])
    agrees = _fetch_pairs(cursor, _EDGES_SQL["agree"])
    listens = _fetch_pairs(cursor, _EDGES_SQL["listen"])
    cursor.execute(_SEEDS_SQL)
    seeds = np.array([r[0] for r in cursor.fetchall()], dtype=np.int64)

    # Node index: accounts first, then tracks.
    user_ids = np.unique(np.concatenate([follows[0], follows[1], authors[0], agrees[0], listens[0], seeds]))
    track_ids = np.unique(np.concatenate([authors[1], agrees[1], listens[1]]))
    n_users, n = len(user_ids), len(user_ids) + len(track_ids)
    if n_users == 0 or len(seeds) == 0:
        return {}, {"users": n_users, "tracks": len(track_ids), "edges": 0, "seeds": len(seeds), "steps": 0}

    def u(ids):
        return np.searchsorted(user_ids, ids)

    def t(ids):
        return n_users + np.searchsorted(track_ids, ids)

    rows = np.concatenate([u(follows[0]), u(authors[0]), u(agrees[0]), u(listens[0])])
    cols = np.concatenate([u(follows[1]), t(authors[1]), t(agrees[1]), t(listens[1])])
    vals = np.concatenate([
        np.full(len(follows[0]), FOLLOW_WEIGHT), np.full(len(authors[0]), AUTHOR_WEIGHT),
        np.full(len(agrees[0]), AGREE_WEIGHT), np.full(len(listens[0]), LISTEN_WEIGHT),
    ])
    half = sparse.coo_matrix((vals, (rows, cols)), shape=(n, n)).tocsr()
    graph = (half + half.T).tocsr()  # undirected; a repeated edge simply weighs more
    degree = np.asarray(graph.sum(axis=1)).ravel()
    inverse_degree = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    walk = (graph.multiply(inverse_degree[:, None])).T.tocsr()  # column-stochastic over nodes with edges

    trust = np.zeros(n)
    seed_index = u(seeds)
    trust[seed_index] = n_users / len(seeds)  # total trust = number of accounts
    steps = max(1, math.ceil(math.log2(n)))
    for _ in range(steps):
        trust = walk @ trust
    per_degree = np.divide(trust, degree, out=np.zeros_like(trust), where=degree > 0)
    mixed = n_users / degree.sum()  # the per-degree value once the walk has fully mixed
    normalised = np.minimum(1.0, per_degree / (FULL_TRUST_SHARE * mixed))
    normalised[seed_index] = 1.0
    result = dict(zip(user_ids.tolist(), normalised[:n_users].tolist(), strict=True))
    stats = {"users": n_users, "tracks": len(track_ids), "edges": int(len(vals)), "seeds": len(seeds),
             "steps": steps}
    return result, stats


_STORE_SQL = """
WITH new AS (SELECT unnest(%s::bigint[]) AS user_id, unnest(%s::float8[]) AS trust),
old AS (
    SELECT coalesce(n.user_id, t.user_id) AS user_id, coalesce(n.trust, 0) AS trust, coalesce(t.trust, 0) AS before
    FROM new n FULL JOIN voting_trust t ON t.user_id = n.user_id
), upserted AS (
    INSERT INTO voting_trust (user_id, trust, computed_at)
    SELECT user_id, trust, now() FROM old
    ON CONFLICT (user_id) DO UPDATE SET trust = EXCLUDED.trust, computed_at = EXCLUDED.computed_at
)
SELECT o.user_id FROM old o JOIN accounts_user u ON u.id = o.user_id
WHERE abs(o.trust - o.before) >= %s AND u.date_joined > now() - make_interval(days => %s)
"""


def refresh_trust():
    """Recompute every account's trust, store it, re-weigh the votes it changes; return a summary."""
    from voting.services import recompute_targets, reweigh_votes

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        trust, stats = compute_trust(cursor)
        walked = time.perf_counter()
        ids = list(trust)
        cursor.execute(_STORE_SQL, [ids, [trust[i] for i in ids], CHANGE_EPSILON, weights.AGE_RAMP_DAYS])
        # Only accounts still inside the age ramp weigh by their trust; older ones are established.
        changed = [row[0] for row in cursor.fetchall()]
        tracks, tools = reweigh_votes(changed)
        recompute_targets(tracks, tools)
    stats.update(reweighed_accounts=len(changed), touched_tracks=len(tracks), seconds_walk=round(walked - started, 2),
                 seconds=round(time.perf_counter() - started, 2), at=timezone.now().isoformat())
    return stats

"""Score computation from the vote log (the source of truth), set-based in SQL."""

from django.db import connection

TRENDING_HALF_LIFE_HOURS = 24

# Votes that count: not flagged, or cleared by a moderator.
COUNTED = "('counted', 'cleared')"

_RECOMPUTE = """
INSERT INTO {score_table} ({fk}, upvotes, downvotes, score, score_daily, score_weekly, score_monthly,
                           trending, updated_at)
SELECT t.id,
       count(*) FILTER (WHERE v.value = 1),
       count(*) FILTER (WHERE v.value = -1),
       coalesce(sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}), 0),
       coalesce(sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}
                                                 AND v.created_at >= now() - interval '1 day'), 0),
       coalesce(sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}
                                                 AND v.created_at >= now() - interval '7 days'), 0),
       coalesce(sum(v.value * v.weight) FILTER (WHERE v.status IN {counted}
                                                 AND v.created_at >= now() - interval '30 days'), 0),
       coalesce(sum(v.value * v.weight * power(0.5, extract(epoch FROM now() - v.created_at) / 3600.0 / %s))
                FILTER (WHERE v.status IN {counted}), 0),
       now()
FROM {target_table} t
LEFT JOIN voting_vote v ON v.{fk} = t.id
{where}
GROUP BY t.id
ON CONFLICT ({fk}) DO UPDATE SET
  upvotes = EXCLUDED.upvotes, downvotes = EXCLUDED.downvotes, score = EXCLUDED.score,
  score_daily = EXCLUDED.score_daily, score_weekly = EXCLUDED.score_weekly,
  score_monthly = EXCLUDED.score_monthly, trending = EXCLUDED.trending, updated_at = EXCLUDED.updated_at
"""


def recompute_scores(track_ids=None, tool_ids=None):
    """Rewrite weighted scores from the vote log; all targets, or only the given ids."""
    targets = [
        ("voting_trackscore", "track_id", "marketplace_track", track_ids),
        ("voting_toolscore", "tool_id", "marketplace_tool", tool_ids),
    ]
    only_some = track_ids is not None or tool_ids is not None
    with connection.cursor() as cursor:
        for score_table, fk, target_table, ids in targets:
            if only_some and not ids:
                continue
            where, params = "", [TRENDING_HALF_LIFE_HOURS]
            if ids:
                where, params = "WHERE t.id = ANY(%s)", [TRENDING_HALF_LIFE_HOURS, list(ids)]
            sql = _RECOMPUTE.format(
                score_table=score_table, fk=fk, target_table=target_table, where=where, counted=COUNTED
            )
            cursor.execute(sql, params)

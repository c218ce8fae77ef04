"""Trending stored at a fixed epoch (voting.trending): `trending` becomes `trending_at_epoch`.

The new column holds Σ value·weight·2^((vote time − epoch)/24 h), computed exactly from the vote log
here; the old one held that sum decayed to the time of its row's last write. The epoch starts at the
hour of the migration. Reversing decays the stored values back to "now" and drops the epoch.
"""

from django.db import migrations, models

DECAY = "(ln(2) / (3600.0 * 24))"  # voting.trending.DECAY when this migration was written
EPOCH = "(SELECT date_part('epoch', epoch) FROM voting_trendingepoch WHERE id = 1)"


def _exact(table, fk):
    return f"""
UPDATE {table} s SET trending_at_epoch = coalesce(a.t, 0)
FROM {table} s0
LEFT JOIN (SELECT v.{fk} AS id,
                  sum(v.value * v.weight * exp((date_part('epoch', v.created_at) - {EPOCH}) * {DECAY})) AS t
           FROM voting_vote v WHERE v.{fk} IS NOT NULL AND v.status IN ('counted', 'cleared') GROUP BY 1) a
       ON a.id = s0.{fk}
WHERE s.{fk} = s0.{fk}
"""


def _decayed_to_now(table):
    return (f"UPDATE {table} SET trending_at_epoch = trending_at_epoch"
            f" * exp(-(date_part('epoch', now()) - {EPOCH}) * {DECAY}) WHERE trending_at_epoch <> 0")


class Migration(migrations.Migration):

    dependencies = [
        ("voting", "0003_t18_earned_trust"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrendingEpoch",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("epoch", models.DateTimeField()),
            ],
        ),
        migrations.AddConstraint(
            model_name="trendingepoch",
            constraint=models.CheckConstraint(condition=models.Q(("id", 1)), name="trendingepoch_single_row"),
        ),
        migrations.RunSQL(
            "INSERT INTO voting_trendingepoch (id, epoch) VALUES (1, date_trunc('hour', now()))",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveIndex(model_name="trackscore", name="trackscore_trending_idx"),
        migrations.RenameField(model_name="trackscore", old_name="trending", new_name="trending_at_epoch"),
        migrations.RenameField(model_name="toolscore", old_name="trending", new_name="trending_at_epoch"),
        migrations.AlterField(
            model_name="trackscore",
            name="trending_at_epoch",
            field=models.FloatField(default=0, help_text="Σ value·weight·2^((vote time − epoch)/half-life): sorts as "
                                                         "trending (voting.trending)"),
        ),
        migrations.AlterField(
            model_name="toolscore",
            name="trending_at_epoch",
            field=models.FloatField(default=0, help_text="Σ value·weight·2^((vote time − epoch)/half-life): sorts as "
                                                         "trending (voting.trending)"),
        ),
        migrations.RunSQL(
            [_exact("voting_trackscore", "track_id"), _exact("voting_toolscore", "tool_id")],
            reverse_sql=[_decayed_to_now("voting_trackscore"), _decayed_to_now("voting_toolscore")],
        ),
        migrations.AddIndex(
            model_name="trackscore",
            index=models.Index(fields=["-trending_at_epoch", "track"], name="trackscore_trending_idx"),
        ),
    ]

"""Track.cover_thumbnails: which cover its WebP thumbnails were made of, and their widths.

Empty for covers saved before: `manage.py cover_thumbnails` (run by seed_demo --if-empty) makes theirs,
and pages show the cover itself until then.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0013_t14qual_site_row"),
    ]

    operations = [
        migrations.AddField(
            model_name="track",
            name="cover_thumbnails",
            field=models.JSONField(
                blank=True, default=dict, editable=False,
                help_text='{"of": cover name, "widths": [96, …]}: its WebP thumbnails (marketplace/catalogue/covers.py)',
            ),
        ),
    ]

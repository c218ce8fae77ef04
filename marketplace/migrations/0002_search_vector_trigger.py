"""Keep Track.search_vector current in the database, weighted title > artist > tags > description."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE = """
CREATE FUNCTION marketplace_track_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
      setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('english', coalesce(NEW.artist, '')), 'B')
   || setweight(to_tsvector('english', array_to_string(coalesce(NEW.tags, '{}'), ' ')), 'C')
   || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER marketplace_track_search_vector_update
BEFORE INSERT OR UPDATE OF title, artist, tags, description ON marketplace_track
FOR EACH ROW EXECUTE FUNCTION marketplace_track_search_vector();
"""

DROP = """
DROP TRIGGER IF EXISTS marketplace_track_search_vector_update ON marketplace_track;
DROP FUNCTION IF EXISTS marketplace_track_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(CREATE, DROP),
    ]

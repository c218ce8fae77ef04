"""Request bodies as JSON and the schema state them (aimusicstore.strict): each field's JSON type, a text's
length as sent, no NUL and, where required, not blank; anything else is a 400 naming the field."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


@pytest.mark.parametrize("body, field", [
    ({"title": "Late night", "is_public": 0}, "is_public"),  # 0 is not false
    ({"title": "Late night", "is_public": "true"}, "is_public"),
    ({"title": 5}, "title"),  # 5 is not "5"
    ({"title": ["Late night"]}, "title"),
])
def test_a_value_of_another_json_type_is_a_400_naming_it(api, body, field):
    response = api.post("/api/v1/playlists", body, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == [field]


def test_numbers_choices_and_lists_keep_their_types(api):
    track = TrackFactory()
    for body, field in (({"target_id": str(track.pk), "target_type": "track", "vote": 1}, "target_id"),
                        ({"target_id": track.pk, "target_type": "track", "vote": "1"}, "vote"),
                        ({"target_id": track.pk, "target_type": "track", "vote": True}, "vote")):
        response = api.post("/api/v1/votes", body, format="json")
        assert response.status_code == 400 and list(response.json()["error"]["fields"]) == [field], body
    response = api.post("/api/v1/keys", {"name": "reader", "scopes": ["read", 5]}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["scopes"]


def test_a_text_is_measured_as_sent(api):
    """DRF trims before it measures: a 121-character title with a leading space would pass as 120."""
    response = api.post("/api/v1/playlists", {"title": " " + "x" * 120}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["title"]
    assert api.post("/api/v1/playlists", {"title": "x" * 120}, format="json").status_code == 201


def test_text_input_says_what_the_api_refuses(api):
    """DRF trims text and refuses a NUL: the schema's pattern says both, and the API answers as it says."""
    properties = schema()["components"]["schemas"]["PlaylistInputRequest"]["properties"]
    pattern = properties["title"]["pattern"]
    assert re.search(pattern, "Late night") and not re.search(pattern, "   ") and not re.search(pattern, "a\x00b")
    assert api.post("/api/v1/playlists", {"title": "   "}, format="json").status_code == 400
    assert api.post("/api/v1/playlists", {"title": "a\x00b"}, format="json").status_code == 400

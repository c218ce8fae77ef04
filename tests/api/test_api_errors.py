"""Every error under /api/ is JSON in one shape; never an HTML page."""


def assert_error_shape(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and isinstance(error["fields"], dict)


def test_an_unknown_endpoint_is_a_json_404(anon):
    assert_error_shape(anon.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error_shape(anon.get("/api/nothing/here/"), 404, "not_found")


def test_an_unknown_object_is_a_json_404(anon):
    assert_error_shape(anon.get("/api/v1/tracks/999999"), 404, "not_found")


def test_a_wrong_method_is_a_json_405(anon):
    response = anon.delete("/api/v1/trending")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_malformed_json_is_a_json_400(anon):
    response = anon.generic("POST", "/api/v1/waitlist", b"{not json", content_type="application/json")
    assert_error_shape(response, 400, "malformed_request")


def test_a_form_body_is_refused_with_415(anon):
    response = anon.post("/api/v1/waitlist", {"email": "a@example.test"})  # multipart
    assert_error_shape(response, 415, "unsupported_media_type")


def test_validation_errors_name_the_fields(anon):
    response = anon.post("/api/v1/auth/register", {"email": "nope", "password": "a long enough passphrase"},
                         format="json")
    assert_error_shape(response, 400, "invalid")
    assert set(response.json()["error"]["fields"]) == {"email"}
    response = anon.post("/api/v1/auth/register", {"email": "nope", "password": "x"}, format="json")
    assert set(response.json()["error"]["fields"]) == {"email", "password"}  # every wrong field at once


def test_pages_outside_the_api_keep_their_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "json" not in response["Content-Type"]


def test_a_server_error_is_json_not_an_html_page(anon, monkeypatch):
    from voting import rankings

    def broken(limit):  # stands in for any bug: the point is what the agent receives
        raise RuntimeError("boom")

    monkeypatch.setattr(rankings, "trending_tracks", broken)
    response = anon.get("/api/v1/trending")
    assert_error_shape(response, 500, "server_error")
    assert "boom" not in response.content.decode()

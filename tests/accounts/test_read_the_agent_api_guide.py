def test_the_guide_shows_the_quick_start_and_both_example_agents(client, db):
    response = client.get("/agents/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Quick start" in page and "http://testserver/api/v1/discovery/discover" in page
    assert "from ai_music_generator import generate_track" in page and '"vote": 1  # Upvote' in page
    assert 'href="/api/v1/docs"' in page


def test_the_footer_links_to_the_guide(client, db):
    assert 'href="/agents/">API for agents</a>' in client.get("/").content.decode()


def test_the_swagger_ui_is_served_from_our_own_static_files(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200

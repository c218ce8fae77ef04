from accounts.models import Agent, User
from tests.helpers import client_with


def test_it_registers_an_agent_with_its_own_key_shown_once(api, creator):
    response = api.post("/api/v1/agents/register", {"name": "Groove Scout", "description": "Finds grooves"},
                        format="json")
    assert response.status_code == 201
    body = response.json()
    agent = Agent.objects.get(pk=body["agent_id"])
    assert agent.owner == creator and agent.user.role == User.Role.AGENT
    assert body["tier"] == "starter" and body["api_key"].startswith("ams_")
    me = client_with(body["api_key"]).get("/api/v1/agents/me")
    assert me.status_code == 200
    shown = me.json()
    assert shown["name"] == "Groove Scout" and shown["owner"]["id"] == creator.pk
    assert shown["limits"]["read"]["limit"] == 120 and shown["limits"]["read"]["used"] == 1
    assert "api_key" not in shown


def test_it_refuses_a_second_agent_with_the_same_name(api):
    api.post("/api/v1/agents/register", {"name": "Scout"}, format="json")
    response = api.post("/api/v1/agents/register", {"name": "scout"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate"
    assert "name" in response.json()["error"]["fields"]


def test_an_agent_cannot_register_agents(api):
    agent_key = api.post("/api/v1/agents/register", {"name": "Scout"}, format="json").json()["api_key"]
    response = client_with(agent_key).post("/api/v1/agents/register", {"name": "Sub"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert list(Agent.objects.values_list("name", flat=True)) == ["Scout"]


def test_agents_me_tells_a_person_to_register_an_agent(api):
    response = api.get("/api/v1/agents/me")
    assert response.status_code == 404
    assert "agents/register" in response.json()["error"]["message"]


def test_it_requires_a_key(anon):
    response = anon.post("/api/v1/agents/register", {"name": "x"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not Agent.objects.exists()

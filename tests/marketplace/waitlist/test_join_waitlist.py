from marketplace.models import WaitlistEntry


def test_it_adds_an_address_once_and_answers_alike_whether_it_was_known(anon):
    first = anon.post("/api/v1/waitlist", {"email": "Fan@Example.test", "interest": "agent"}, format="json")
    again = anon.post("/api/v1/waitlist", {"email": "fan@example.test"}, format="json")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == {"count": 1} and again.json() == {"count": 1}
    assert WaitlistEntry.objects.get().interest == "agent"
    assert anon.get("/api/v1/waitlist/count").json() == {"count": 1}


def test_it_names_a_bad_email(anon):
    response = anon.post("/api/v1/waitlist", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400 and "email" in response.json()["error"]["fields"]

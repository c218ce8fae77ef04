from django.utils import timezone

from marketplace.models import WaitlistEntry


def test_it_adds_an_address_once_and_answers_alike_whether_it_was_known(anon):
    first = anon.post("/api/v1/waitlist", {"email": "Fan@Example.test", "interest": "agent"}, format="json")
    again = anon.post("/api/v1/waitlist", {"email": "fan@example.test"}, format="json")
    assert (first.status_code, again.status_code) == (201, 201)
    # The count is of confirmed places: joining does not move it, whether the address was known or not.
    assert first.json() == {"count": 0} and again.json() == {"count": 0}
    assert WaitlistEntry.objects.get().interest == "agent"
    WaitlistEntry.objects.update(confirmed_at=timezone.now())  # the emailed link was opened
    assert anon.get("/api/v1/waitlist/count").json() == {"count": 1}


def test_it_names_a_bad_email(anon):
    response = anon.post("/api/v1/waitlist", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400 and "email" in response.json()["error"]["fields"]

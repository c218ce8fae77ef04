"""Webhooks: events about a member's tracks, votes, sales and payouts, pushed to their HTTPS endpoint.

models.py (registered in marketplace.models) · events.py (what each event says, and `emit`, which the
services call after commit) · signing.py (the X-Signature header and its check) · services.py
(create/change/delete endpoints, deliver one attempt, retries, disabling, redelivery) · tasks.py
(Celery) · api.py and serializers.py (/api/v1/webhooks…).
"""

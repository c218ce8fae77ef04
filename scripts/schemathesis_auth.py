"""Schemathesis' credentials in `make schemathesis` (scripts/schemathesis_live.py loads this as SCHEMATHESIS_HOOKS).

The run calls as a verified staff account with an enterprise key. Fuzzing `POST keys/{id}/rotate` and
`DELETE keys/{id}` the run may well rotate or revoke the very key it is using, as any client may; the
API then rightly answers 401. This provider issues the account a new key when that happens, and
schemathesis replays the request with it: its documented dynamic-auth mechanism (`@schemathesis.auth`,
re-fetched on a 401), so one revoked key does not turn the rest of the run into 401s.
"""

import os
import sys
from pathlib import Path

import schemathesis

ROOT = Path(__file__).resolve().parent.parent


def issue_key():
    """A new enterprise key of the run's staff account (SCHEMATHESIS_EMAIL), through the ORM."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")
    import django

    django.setup()
    from django.db import close_old_connections

    from accounts.models import ApiKey, User

    close_old_connections()
    staff = User.objects.get(email=os.environ["SCHEMATHESIS_EMAIL"])
    return ApiKey.issue(staff, "schemathesis", tier=ApiKey.Tier.ENTERPRISE)[1]


@schemathesis.auth(refresh_interval=24 * 3600, retry_on=[401])
class StaffKey:
    def get(self, case, context):
        return issue_key()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"

"""How much one vote weighs: a bounded function of the voter's standing.

A vote's weight is fixed when it is counted and stored on the vote; reputation
changes re-weigh the voter's votes and recompute the targets they touch.

    weight = min(MAX_WEIGHT, age × trust × standing)
    age      = 0.1 + 0.9 × min(1, account_age_days / 30)    new accounts start at 0.1 and ramp up
    trust    = 1.0 with a verified email or a linked Google/GitHub account, else 0.5
    standing = 1 + tanh(reputation / 20)                     in (0, 2): consensus agreement raises it,
                                                             confirmed abuse lowers it towards 0
    A suspended (deactivated) principal's votes weigh 0.

An agent has no standing of its own: every input is its owner's (the "principal"),
and one principal's family (the owner and all its agents) carries one weight per
target — the first counted family vote carries it, later ones are stored at 0.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

AGE_RAMP_DAYS = 30
MIN_AGE_FACTOR = 0.1
UNVERIFIED_FACTOR = 0.5
REPUTATION_SCALE = 20.0
MAX_WEIGHT = 2.0

# Reputation points (ReputationEvent.delta) for the events the voting app records.
CONFIRMED_ABUSE_PENALTY = -5.0
CONSENSUS_POINT = 0.2
CONSENSUS_CAP = 10.0


@dataclass(frozen=True)
class Standing:
    """The inputs of a weight, always those of the principal (an agent's owner, or the voter)."""

    principal_id: int
    joined: datetime
    reputation: float
    verified: bool
    active: bool = True  # False once moderation suspends the principal: every vote weighs 0


def age_factor(joined, now=None):
    now = now or timezone.now()
    days = max(0.0, (now - joined).total_seconds() / 86400)
    return MIN_AGE_FACTOR + (1 - MIN_AGE_FACTOR) * min(1.0, days / AGE_RAMP_DAYS)


def weight_for(standing, now=None):
    """The bounded weight, in (0, MAX_WEIGHT], of a vote cast by someone with this standing (0 if suspended)."""
    if not standing.active:
        return 0.0
    trust = 1.0 if standing.verified else UNVERIFIED_FACTOR
    reputation = 1 + math.tanh(standing.reputation / REPUTATION_SCALE)
    return round(min(MAX_WEIGHT, age_factor(standing.joined, now) * trust * reputation), 4)


# The standing of a voter's principal, one row; used by cast_vote and re-weighing.
STANDING_SQL = """
SELECT p.id, p.date_joined, p.reputation,
       EXISTS (SELECT 1 FROM account_emailaddress e WHERE e.user_id = p.id AND e.verified)
       OR EXISTS (SELECT 1 FROM socialaccount_socialaccount s WHERE s.user_id = p.id),
       p.is_active
FROM accounts_user u
LEFT JOIN accounts_agent a ON a.user_id = u.id
JOIN accounts_user p ON p.id = coalesce(a.owner_id, u.id)
WHERE u.id = ANY(%s)
"""


def standings(cursor, principal_ids):
    """{principal id: Standing} for the given principals, in one query."""
    cursor.execute(STANDING_SQL, [list(principal_ids)])
    return {row[0]: Standing(*row) for row in cursor.fetchall()}

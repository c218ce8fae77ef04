"""How much one vote weighs: influence is earned with costly signals, never created by signing up.

A vote's weight is fixed when it is counted and stored on the vote; reputation and trust
changes re-weigh the voter's votes and recompute the targets they touch.

    weight      = min(MAX_WEIGHT, established × verified × standing × listened)
    established = max(age, trust)      a brand-new account weighs 0 until it has aged or earned trust
    age         = clamp((account_age_days − 7) / 23, 0, 1)     0 in the first week, full after 30 days
    trust       = the account's SybilRank trust in [0, 1] (voting/trust/sybilrank.py, a periodic job)
    verified    = 1.0 with a verified email or a linked Google/GitHub account, else 0.5
    standing    = 1 + tanh(reputation / 20)                  in (0, 2): consensus agreement raises it,
                                                             confirmed abuse lowers it towards 0
    listened    = 1.0 when the voter heard ≥ 10 s of that track's preview before voting (an agent:
                  fetched it through the API), and for tool votes; else 0.25
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
HOLD_DAYS = 7  # an account younger than this weighs only what trust it has earned
UNVERIFIED_FACTOR = 0.5
UNLISTENED_FACTOR = 0.25
LISTEN_SECONDS = 10
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
    trust: float = 0.0
    active: bool = True  # False once moderation suspends the principal: every vote weighs 0


def age_factor(joined, now=None):
    now = now or timezone.now()
    days = max(0.0, (now - joined).total_seconds() / 86400)
    return max(0.0, min(1.0, (days - HOLD_DAYS) / (AGE_RAMP_DAYS - HOLD_DAYS)))


def established(standing, now=None):
    return max(age_factor(standing.joined, now), max(0.0, min(1.0, standing.trust or 0.0)))


def weight_for(standing, now=None, listened=True):
    """The bounded weight, in [0, MAX_WEIGHT], of a vote cast by someone with this standing (0 if suspended)."""
    if not standing.active:
        return 0.0
    verified = 1.0 if standing.verified else UNVERIFIED_FACTOR
    reputation = 1 + math.tanh(standing.reputation / REPUTATION_SCALE)
    heard = 1.0 if listened else UNLISTENED_FACTOR
    return round(min(MAX_WEIGHT, established(standing, now) * verified * reputation * heard), 4)


# The standing of a voter's principal, one row; used by cast_vote and re-weighing.
STANDING_SQL = """
SELECT p.id, p.date_joined, p.reputation,
       EXISTS (SELECT 1 FROM account_emailaddress e WHERE e.user_id = p.id AND e.verified)
       OR EXISTS (SELECT 1 FROM socialaccount_socialaccount s WHERE s.user_id = p.id),
       coalesce((SELECT t.trust FROM voting_trust t WHERE t.user_id = p.id), 0),
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

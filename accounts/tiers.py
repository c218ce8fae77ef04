"""Creator tiers: upload limits and the badge shown beside a creator's name.

Staff set `User.tier` in the admin; there is no payment processing yet.
"""




FREE_UPLOADS_PER_30_DAYS = 10


UPLOAD_LIMITS = {"free": FREE_UPLOADS_PER_30_DAYS, "pro": None, "verified": None, "enterprise": None}


BADGES = {"free": "", "pro": "Pro", "verified": "Verified", "enterprise": "Enterprise"}


def upload_limit(tier):
    """Uploads allowed per 30 days, or None for unlimited."""
    return UPLOAD_LIMITS.get(tier, FREE_UPLOADS_PER_30_DAYS)


def badge(tier):
    return BADGES.get(tier, "")

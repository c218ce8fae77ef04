"""The standard licence set the data migration loads (staff edit them in the admin afterwards)."""

STANDARD_LICENCES = [
    {"code": "personal", "name": "Personal", "badge": "Personal", "position": 1, "attribution_required": True,
     "summary": "For your own listening and non-commercial projects; not for monetised videos or anything sold.",
     "personal": True},
    {"code": "creator", "name": "Creator — online video, monetised", "badge": "Creator", "position": 2,
     "attribution_required": True,
     "summary": "Use it in your own monetised YouTube, TikTok, Twitch or podcast content, with credit.",
     "personal": True, "online_monetised": True},
    {"code": "commercial", "name": "Commercial — ads and client work", "badge": "Commercial", "position": 3,
     "summary": "Online video, advertising and work you deliver to clients; no credit needed.",
     "personal": True, "online_monetised": True, "advertising": True, "client_work": True},
    {"code": "sync-broadcast", "name": "Sync / Broadcast", "badge": "Sync", "position": 4,
     "summary": "Everything in Commercial plus film, TV, games and radio broadcast.",
     "personal": True, "online_monetised": True, "advertising": True, "client_work": True, "sync": True,
     "broadcast": True},
    {"code": "custom", "name": "Custom — ask the creator", "badge": "Custom", "position": 5,
     "summary": "Personal use only unless you agree wider terms with the creator in writing.",
     "personal": True},
]

"""The waitlist: one entry per address, joined and counted over the API."""

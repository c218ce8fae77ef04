"""Notifications: the in-app centre, email per kind, and each member's switches for both."""

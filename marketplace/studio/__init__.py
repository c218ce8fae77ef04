"""The creator's dashboard: upload, edit and delete screens, analytics, and the me/* API."""

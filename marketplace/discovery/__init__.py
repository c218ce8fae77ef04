"""Every public listing, page and API side by side: home, trending, top, browse, search, track and tool pages."""

"""Demo playlists: a few public shortlists and one private one for the demo creator."""

from marketplace.playlists import services

PLAYLISTS = [
    ("Late-night focus", "Low-key tracks for deep work and coding sessions.", True),
    ("Trailer shortlist", "Candidates for the **spring campaign** video: big builds, clean endings.", True),
    ("Cafe background", "Warm, unobtrusive music for a small shop.", True),
    ("Maybe for the podcast", "Private picks, still deciding.", False),
]


def seed_playlists(rng, tracks, owners):
    """Four playlists of 5–9 tracks; the first owner (the demo creator) owns the private one."""
    made = []
    for i, (title, description, public) in enumerate(PLAYLISTS):
        owner = owners[0] if not public else owners[(i + 1) % len(owners)]
        playlist = services.create_playlist(owner, title=title, description=description, is_public=public)
        for track in rng.sample(tracks, k=min(len(tracks), rng.randint(5, 9))):
            services.add_track(playlist, track)
        made.append(playlist)
    return made

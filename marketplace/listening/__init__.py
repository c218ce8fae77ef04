"""The player's server side: plays, page views, waveform JSON, embeds, media with ranges, favourites."""

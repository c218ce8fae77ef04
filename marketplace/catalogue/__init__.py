"""A track's life and its API resource: publish, update, remove, hide; upload validators; waveforms and preview cuts."""

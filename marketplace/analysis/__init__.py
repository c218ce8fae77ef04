"""Audio that is measured: loudness, tempo, key, fingerprints and sound features of every preview."""

"""Demo-only code: the synthesised previews and covers of `seed_demo`, and `scale_data`'s SQL helpers."""

"""Deterministic generators of the bundled demonstration data. Everything they make is
synthetic and labelled so wherever it is shown."""

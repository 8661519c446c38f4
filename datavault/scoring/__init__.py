"""Scorer profiles for ``datavault score`` (TOML data files)."""

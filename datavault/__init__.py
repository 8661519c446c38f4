"""datavault: see yourself as a citizen scorer would, from your own data exports, offline."""

__version__ = "0.1.0"

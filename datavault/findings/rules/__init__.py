"""Rules as data: lexicons, place categories, thresholds, research context (TOML files)."""

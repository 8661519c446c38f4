"""Derived data the findings keep in the vault (the word index, the hourly rollups): names, and how to drop it.

``forget`` drops all of it (``DROP_SQL``): derived tables still hold traces of forgotten records until rebuilt,
and the next report rebuilds them from what is left.
"""

from __future__ import annotations

from datavault.layout import person_rows_ddl, physical  # noqa: F401  (physical: read from here by the findings)

DERIVED_TABLES = (
    "dv_text_index", "dv_text_index_state",
    "dv_roll_msg_hours", "dv_roll_msg_week", "dv_roll_senders", "dv_roll_activities", "dv_roll_posts",
    "dv_roll_area_weeks", "dv_roll_places", "dv_roll_cell_days", "dv_roll_loc_days", "dv_roll_stays", "dv_roll_msg_days", "dv_roll_state",
    "dv_report_cache",
    "dv_person_identities", "dv_person_rows", "dv_person_reasons", "dv_person_state",  # people linking
    # earlier versions' rollups: dropped with the rest in a vault that has them
    "dv_roll_cells", "dv_roll_cell_weeks", "dv_roll_msg_conv",
)
# dropped and made again empty at once: the view ``people`` reads its person from it (layout.person_rows_ddl)
DROP_SQL = tuple(f"DROP TABLE IF EXISTS {name}" for name in DERIVED_TABLES) + (person_rows_ddl(),)


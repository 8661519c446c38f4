"""What a command loads: only the importers an input needs, and no SQLAlchemy for a report that can trust the
vault (start-up is most of the time a small export's import or a cached report takes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from datavault.importers import IMPORTERS, Deferred
from tests.conftest import write_text

CHAT = "12/07/2017, 22:35 - Ana: Hola\n12/07/2017, 22:36 - Sam: hi\n12/07/2017, 22:37 - Ana added Bea\n"
ACTIVITY = [{"header": "Search", "title": "Searched for bread", "time": "2024-01-05T10:00:00.000Z",
             "products": ["Search"]}]

# run in a fresh interpreter: which modules the import and a report after it loaded
_PROBE = """
import json, sys
from pathlib import Path
from datavault.pipeline import import_paths
vault, path = Path(sys.argv[1]), Path(sys.argv[2])
import_paths(vault, [path])
from datavault.importers import whatsapp_lexicon
imported = sorted(m for m in sys.modules if m.startswith("datavault.importers."))
union = whatsapp_lexicon._system_union.cache_info().currsize
for m in [m for m in sys.modules if m.startswith(("sqlalchemy", "sqlmodel", "datavault.store"))]:
    del sys.modules[m]
from datavault.report import build_report
build_report(vault)
print(json.dumps({"importers": imported, "union": union, "store_for_report": "datavault.store" in sys.modules}))
"""


def _probe(tmp_path: Path, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE, str(tmp_path / "v.sqlite"), str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def _top(modules: list[str]) -> set[str]:
    return {m.split(".")[2] for m in modules} & {d.module for d in IMPORTERS}


def test_a_chat_loads_the_chat_importer_alone_and_a_report_after_it_no_store(tmp_path):
    seen = _probe(tmp_path, write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT))
    assert _top(seen["importers"]) == {"whatsapp"}
    assert seen["union"] == 1  # its system line was asked about
    assert seen["store_for_report"] is False  # the import left the marker: the report trusted it


def test_a_takeout_file_leaves_the_chat_importers_system_lines_uncompiled(tmp_path):
    folder = tmp_path / "Takeout" / "My Activity" / "Search"
    folder.mkdir(parents=True)
    path = folder / "MyActivity.json"
    path.write_text(json.dumps(ACTIVITY), encoding="utf-8")
    seen = _probe(tmp_path, path)
    assert "takeout" in _top(seen["importers"])
    assert seen["union"] == 0


def test_each_deferred_importer_is_the_one_its_name_says():
    import copy
    import pickle

    assert [d.loaded().name for d in IMPORTERS] == [d.name for d in IMPORTERS]
    assert IMPORTERS[0].claim.__self__ is IMPORTERS[0].loaded()  # everything else is the importer's own
    again = pickle.loads(pickle.dumps(Deferred("takeout")))  # made without __init__: no recursion
    assert (again.name, copy.copy(again).loaded()) == ("takeout", IMPORTERS[-1].loaded())

"""Fuzzing the importers with mutated demo exports (tests/fuzzkit.py): whatever the damage, the import ends in
exit 0 or 1 without a traceback, the vault passes ``PRAGMA integrity_check``, nothing an earlier import stored
changes, and inventory, report and score still run. A small, fixed slice runs here; benchmarks/fuzz_imports.py
runs many more."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzkit import OPS, build_base, run_case


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("fuzz-base"))


cases = st.tuples(st.integers(0, 6), st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 2**31)),
                                               min_size=1, max_size=3))


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases)
def test_mutated_exports_never_hurt(base, tmp_path_factory, case):
    target, ops = case
    run_case(base, base.root / "case", target % len(base.exports), ops)


def test_the_fuzzer_really_damages_and_still_imports(base):
    # a chat with nasty lines: imported (exit 0), and the base's records are all there
    assert run_case(base, base.root / "case", 0, [("lines", 1), ("lines", 2)]) == 0
    # a zip cut short: salvaged or refused, never a traceback
    assert run_case(base, base.root / "case", 1, [("cut", 3)]) in (0, 1)

"""The disclosure auditor: every page, run on databases that differ only inside a hidden cell.

Generic, so a new page in views/ is audited without a new test. For each page and each view in a
lattice of filters (none, each ward, each directorate), in public-safe mode and not:

- requests and feedback variants (3 or 4 requests by post in one ward and month; 3 or 4 ratings
  through the app): public-safe output may differ only by counts that are multiples of 5 in both
  runs, or rates one step of their display precision apart;
- staff variant (2 or 3 active leaders in a directorate of 4): nothing may differ in either mode,
  because a group under 5 must not be part of any figure;
- every table of counts the page protected (pulse.disclosure.counts.LISTENERS) is checked
  independently: no hidden count may be a linear combination of the published ones (the
  subtraction check: totals minus parts, rates times totals, sentences).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pulse.disclosure import counts
from tests.audit import borough
from tests.audit.collect import PAGES, differences, run

WARDS = [code for code, *_ in borough.WARDS]
DIRECTORATES = list(borough.STAFF)
LATTICE = [{}] + [{"ward": code} for code in WARDS] + [{"directorate": name} for name in DIRECTORATES]


@pytest.fixture(scope="module")
def auditville(tmp_path_factory) -> dict[str, Path]:
    """The base borough and its variants, each ingested once."""
    root = tmp_path_factory.mktemp("auditville")
    return {variant: borough.build(root / variant, variant) for variant in borough.VARIANTS}


@pytest.fixture
def protections():
    """Every CountModel protection made while the test runs."""
    made: list = []
    counts.LISTENERS.append(made.append)
    yield made
    counts.LISTENERS.remove(made.append)


_RUNS: dict[tuple, list[str]] = {}


def _published(db: Path, page: str, query: dict, monkeypatch) -> list[str]:
    """What a page publishes for a view; each base view is run once for every test that compares with it."""
    key = (db, page, tuple(sorted((k, str(v)) for k, v in query.items())))
    if key not in _RUNS:
        at, shown = run(db, page, query, monkeypatch)
        assert not at.exception, [e.value for e in at.exception]
        _RUNS[key] = shown
    return _RUNS[key]


def _view(filters: dict, public: bool) -> dict:
    return {**filters, **({"public": "1"} if public else {})}


def _label(filters: dict, public: bool) -> str:
    where = ", ".join(f"{k}={v}" for k, v in filters.items()) or "no filters"
    return f"{where}{', public-safe' if public else ''}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("variant", ["requests", "feedback"])
def test_public_safe_output_hides_the_small_cell(page, variant, auditville, monkeypatch, protections):
    failures = []
    for filters in LATTICE:
        query = _view(filters, public=True)
        base = _published(auditville["base"], page, query, monkeypatch)
        changed = _published(auditville[variant], page, query, monkeypatch)
        failures += [f"{_label(filters, True)}: {d}" for d in differences(base, changed, rounding=True)]
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("public", [False, True], ids=["internal", "public-safe"])
def test_no_figure_depends_on_a_staff_group_under_five(page, public, auditville, monkeypatch, protections):
    failures = []
    for filters in LATTICE:
        query = _view(filters, public)
        base = _published(auditville["base"], page, query, monkeypatch)
        changed = _published(auditville["staff"], page, query, monkeypatch)
        failures += [f"{_label(filters, public)}: {d}" for d in differences(base, changed, rounding=False)]
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("public", [False, True], ids=["internal", "public-safe"])
def test_no_hidden_count_can_be_worked_out(page, public, auditville, monkeypatch, protections):
    for filters in LATTICE:
        at, _ = run(auditville["base"], page, _view(filters, public), monkeypatch)
        assert not at.exception, [e.value for e in at.exception]
    disclosed = [(p.model.name, p.disclosed()) for p in protections]
    found = [f"{name}: {frame.to_dict('records')}" for name, frame in disclosed if not frame.empty]
    assert not found, "\n".join(found)

"""Run a page in AppTest and collect everything it publishes, element by element, as text."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import settled

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "views").glob("*.py"))
_ID = re.compile(r'id: "[^"]*"\n?')
_URL = re.compile(r'(url|src): "[^"]*"\n?')


class Downloads:
    """Records what every download button of a run would hand over (AppTest keeps only a link)."""

    def __init__(self) -> None:
        self.files: list[tuple[str, str]] = []
        self._original = st.download_button

    def __enter__(self) -> Downloads:
        original = self._original

        def record(label, data, *args, **kwargs):
            # A file made only when clicked (the board pack) holds nothing yet: its own tests audit it.
            if not callable(data):
                payload = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
                self.files.append((str(label), payload))
            return original(label, data, *args, **kwargs)

        st.download_button = record
        return self

    def __exit__(self, *exc) -> None:
        st.download_button = self._original


def open_page(db: Path, page: str, query: dict[str, str | list[str]],
              monkeypatch) -> tuple[AppTest, list[tuple[str, str]]]:
    """Open app.py on a database with URL parameters and switch to the page: the AppTest, and what each
    download button of the page would hand over, as (label, payload)."""
    monkeypatch.setenv("PULSE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    with Downloads() as downloads:
        at.switch_page(page)
        at.run()
        settled(at)  # presentation mode: the view once every slide is built
    return at, downloads.files


def run(db: Path, page: str, query: dict[str, str | list[str]], monkeypatch) -> tuple[AppTest, list[str]]:
    """Open app.py on a database with URL parameters, switch to the page, and return what it shows."""
    at, files = open_page(db, page, query, monkeypatch)
    published = list(outputs(at))
    published += [f"download {label}\n{payload}" for label, payload in files]
    folder = str(db.parent)
    return at, [text.replace(folder, "<folder>") for text in published]


def outputs(at: AppTest) -> Iterator[str]:
    """Every element of the page as text: words, metrics, tables, chart data, map JSON, widget options."""
    yield from _walk(at._tree, "")


def _walk(node, path: str) -> Iterator[str]:
    kind = getattr(node, "type", type(node).__name__)
    children = getattr(node, "children", None)
    if children:
        for key, child in children.items():
            yield from _walk(child, f"{path}/{kind}{key}")
        return
    if kind in ("event",):
        return
    yield f"{path}/{kind}\n{_content(node, kind)}"


def _content(node, kind: str) -> str:
    if kind == "dataframe":
        # A cell holding a list (a line-chart column) is written as its numbers, not numpy's aligned print of
        # them, whose padding would change with the width of a neighbouring number.
        frame = node.value.map(lambda v: [float(x) for x in v] if isinstance(v, np.ndarray) else v)
        return frame.to_csv(index=False)
    if kind == "metric":
        proto = node.proto
        return "|".join([node.label, node.value, node.delta or "", proto.help,
                         ",".join(str(v) for v in getattr(proto, "chart_data", []))])
    if kind == "vega_lite_chart":
        proto = node.proto
        parts = [proto.spec]
        for dataset in proto.datasets:
            parts.append(_arrow_csv(dataset.data.data))
        if proto.HasField("data"):
            parts.append(_arrow_csv(proto.data.data))
        return "\n".join(parts)
    if kind == "deck_gl_json_chart":
        return json.dumps(json.loads(node.proto.json), sort_keys=True)
    value = getattr(node, "value", None)
    if isinstance(value, str):
        return value
    text = _URL.sub("", _ID.sub("", str(node.proto)))
    return text


def _arrow_csv(data: bytes) -> str:
    if not data:
        return ""
    table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    return table.to_pandas().to_csv(index=False)


NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?(%?)")


def differences(a: list[str], b: list[str], rounding: bool) -> list[str]:
    """Where two runs' outputs differ; with `rounding`, differences allowed in public-safe output are ignored:
    counts that are multiples of 5 in both, and rates that moved by at most one step of their precision."""
    found = []
    if len(a) != len(b):
        found.append(f"{len(a)} elements against {len(b)}")
    for x, y in zip(a, b):
        if x == y:
            continue
        if rounding and _allowed(x, y):
            continue
        found.append(_first_difference(x, y))
    return found


def _allowed(x: str, y: str) -> bool:
    xs, ys = NUMBER.split(x), NUMBER.split(y)
    if len(xs) != len(ys):
        return False
    numbers_x, numbers_y = NUMBER.finditer(x), NUMBER.finditer(y)
    # split() keeps the text between numbers (and each number's "%" group): the text must be identical.
    if xs[::2] != ys[::2]:
        return False
    for mx, my in zip(numbers_x, numbers_y):
        if mx.group(0) == my.group(0):
            continue
        if not _close(mx.group(0), my.group(0)):
            return False
    return True


def _close(x: str, y: str) -> bool:
    percent = x.endswith("%") and y.endswith("%")
    xv, yv = (float(v.rstrip("%").replace(",", "")) for v in (x, y))
    decimals = max(_decimals(x), _decimals(y))
    if decimals == 0 and not percent:
        return xv % 5 == 0 and yv % 5 == 0  # rounded counts
    step = 10.0 ** -decimals
    return abs(xv - yv) <= step * 1.0001  # a rate at display precision, one step apart


def _decimals(text: str) -> int:
    number = text.rstrip("%").split("e")[0]
    return len(number.split(".")[1]) if "." in number else 0


def _first_difference(x: str, y: str) -> str:
    head = x.split("\n", 1)[0]
    for i, (cx, cy) in enumerate(zip(x, y)):
        if cx != cy:
            return f"{head}: …{x[max(0, i - 60):i + 60]!r} against …{y[max(0, i - 60):i + 60]!r}"
    return f"{head}: lengths {len(x)} and {len(y)}"


__all__ = ["PAGES", "differences", "outputs", "run"]

"""Board packs: the PowerPoint and the PDF open and say what they show; a public-safe pack holds no
count under the threshold (every text frame, table and note read back, and the PDF's text); an empty
view makes a pack that says so; the command line writes either."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from pulse import registry as measures
from pulse.__main__ import main
from pulse.disclosure import COUNT, Chart, Deck, Policy, label_table
from pulse.filters import Filters, Options
from pulse.present import images, pack, registry
from pulse.filters import read_options
from tests.audit import borough

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# What a number on a slide may be when it is not a count: dates, money, rates and their changes,
# decimals, slide numbers, how many KPIs the health index averages, and "[c]".
NOT_COUNTS = re.compile("|".join([
    rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b", rf"\b(?:{MONTHS})[a-z]* \d{{2,4}}\b", r"\bQ[1-4](?: \d{4})?\b",
    r"\b\d{4}-\d{2}-\d{2}\b", r"[-+−]?£[\d,]+(?:\.\d+)?", r"[-+−]?\d[\d,]*(?:\.\d+)?\s?(?:%|(?:pts|points|days?)\b)",
    r"[-+−]?\d+\.\d+", r"\bacross \d+ KPIs?\b", r"\b\d+ / \d+\b", r"\[c\]",
]))
COUNT_TEXT = re.compile(r"(?<![\w.])\d[\d,]*(?![\w.])")


@pytest.fixture(scope="module")
def auditville(tmp_path_factory) -> Path:
    """Auditville (tests/audit): a borough with small cells on purpose."""
    return borough.build(tmp_path_factory.mktemp("auditville") / "base", "base")


@pytest.fixture
def on(monkeypatch):
    """on(db) → that database's filter values, with it as the current database."""

    def use(db: Path) -> Options:
        monkeypatch.setenv("PULSE_DB", str(db))
        return read_options()[0]

    return use


def pptx_texts(data: bytes) -> list[str]:
    """Every text frame, table cell and speaker note of a PowerPoint file, read back with python-pptx."""
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append(slide.notes_slide.notes_text_frame.text)
    return texts


def pdf_text(data: bytes) -> str:
    """The PDF's text, lines joined as they were wrapped."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def counts_in(text: str, static_words: list[str]) -> list[int]:
    """The counts a text shows: numbers that are not dates, money, rates, decimals or written definitions."""
    text = " ".join(text.split())
    for words in sorted(static_words, key=len, reverse=True):
        text = text.replace(words, " ")
    return [int(n.replace(",", "")) for n in COUNT_TEXT.findall(NOT_COUNTS.sub(" ", text))]


def static_words(db_options: Options) -> list[str]:
    """Words written by people, not counted from the data: definitions and KPI names (some hold digits)."""
    from pulse import db
    from pulse.metrics import kpis
    from pulse.pages.overview import HEALTH_HELP
    from pulse.present.slide import PUBLIC_SAFE_NOTE

    names = [k.name for k in kpis.catalogue(db.query("kpis_by_id"))]
    return [m.formula for m in measures.MEASURES.values()] + [m.name for m in measures.MEASURES.values()] + names + [
        str(HEALTH_HELP), str(PUBLIC_SAFE_NOTE)]


# --------------------------------------------------------------------------- the files open and say what they show


def test_the_powerpoint_reads_back_with_every_slide_and_its_notes(demo_db, on):
    options = on(demo_db)
    parts = [registry.Part(Filters(options.min_date, options.max_date), kpis=("digital_takeup",))]
    slides = pack.with_cover(registry.build(parts, options), parts, options, dt.date(2026, 12, 2))
    deck = Presentation(io.BytesIO(pack.make(parts, options, ".pptx", made=dt.date(2026, 12, 2))))
    assert len(deck.slides) == len(slides) == 4
    assert [s.shapes.title.text for s in deck.slides] == [str(s.title) for s in slides]
    assert slides[0].title == "Council Pulse board pack: figures to 31 Oct 2026"
    assert deck.core_properties.title == pack.TITLE
    cover, headline, channels, takeup = deck.slides
    assert [p.text for p in cover.shapes[1].text_frame.paragraphs] == ["In this pack"] + [
        f"• {s.title}" for s in slides[1:]]
    texts = [shape.text_frame.text for shape in headline.shapes if shape.has_text_frame]
    assert "1 Nov 2023 to 31 Oct 2026 · the whole council · Data through 31 Oct 2026" in texts
    assert any(t.startswith("Definitions: Digital take-up: Requests made online") for t in texts)
    notes = headline.notes_slide.notes_text_frame.text.splitlines()
    assert notes[:4] == [str(n) for n in slides[1].notes[:4]]
    pictures = [shape for shape in channels.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == str(slides[2].chart.alt_text)
    assert [shape.shape_type for shape in takeup.shapes].count(13) == 1


def test_the_pdf_has_a_page_per_slide_that_pdftoppm_draws(demo_db, on, tmp_path):
    options = on(demo_db)
    parts = [registry.Part(Filters(options.min_date, options.max_date), kpis=("digital_takeup",))]
    data = pack.make(parts, options, ".pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 4
    assert reader.metadata.title == pack.TITLE
    text = pdf_text(data)
    for slide in registry.build(parts, options):
        assert " ".join(str(slide.title).split()) in text
    assert "Speaker notes" in text and "Data through 31 Oct 2026" in text
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is absent (make test installs poppler-utils)")
    (tmp_path / "pack.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "pack.pdf"), str(tmp_path / "page")], check=True)
    from PIL import Image

    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 4
    for png in pages:
        with Image.open(png) as image:
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 20, f"{png.name} looks blank"


def test_an_empty_view_makes_a_pack_that_says_so(demo_db, on):
    options = on(demo_db)
    nothing = Filters(dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    data = pack.make([registry.Part(nothing)], options, ".pptx")
    texts = pptx_texts(data)
    assert "No data matches this view" in texts and "No service requests match these filters." in texts
    assert "No data matches this view: widen the date range or remove a filter to see figures." in texts
    assert len(Presentation(io.BytesIO(data)).slides) == 3  # cover, headline KPIs, requests by channel
    assert "No data matches this view: widen the date range" in pdf_text(pack.make([registry.Part(nothing)], options,
                                                                                   ".pdf"))


def test_a_sequence_with_no_slides_still_makes_a_pack(demo_db, on):
    options = on(demo_db)
    data = pack.make([registry.Part(Filters(options.min_date, options.max_date), pages=("kpis",), kpis=("none",))],
                     options, ".pptx")
    assert "Nothing to show for this view" in [s.shapes.title.text for s in Presentation(io.BytesIO(data)).slides]


def test_a_pack_is_pptx_or_pdf(demo_db, on):
    with pytest.raises(ValueError, match="a board pack is .pptx or .pdf, not .docx"):
        pack.make([], on(demo_db), ".docx")


def test_the_download_button_makes_the_file_when_clicked(demo_db, on):
    options = on(demo_db)
    request = pack.Request((registry.Part(Filters(options.min_date, options.max_date), kpis=()),), options, ".pdf")
    assert request().startswith(b"%PDF")


# --------------------------------------------------------------------------- public-safe packs


@pytest.mark.parametrize("ward", [None, "E05000101"])
@pytest.mark.parametrize("suffix", [".pptx", ".pdf"])
def test_a_public_safe_pack_holds_no_count_under_the_threshold(auditville, on, suffix, ward):
    options = on(auditville)
    view = Filters(options.min_date, options.max_date, wards=(ward,) if ward else (), public_safe=True)
    parts = [registry.Part(view, kpis=tuple(k for k in ("digital_takeup", "user_satisfaction")))]
    data = pack.make(parts, options, suffix)
    texts = pptx_texts(data) if suffix == ".pptx" else [pdf_text(data)]
    words = static_words(options)
    counts = [n for text in texts for n in counts_in(text, words)]
    threshold = Policy().threshold
    assert counts, "the pack should show some counts to check"
    assert all(n >= threshold and n % 5 == 0 for n in counts), sorted(set(counts))
    assert sum("Public-safe figures" in t or "PUBLIC-SAFE FIGURES" in t for t in texts) >= (
        len(Presentation(io.BytesIO(data)).slides) if suffix == ".pptx" else 1)
    for slide in registry.build(parts, options):
        tables = [t for t in (slide.table, slide.chart.data if slide.chart else None) if t is not None]
        for table in tables:
            for column in (c for c, kind in table.kinds.items() if kind == COUNT):
                shown = [v for v in table.frame[column] if v != "[c]"]
                assert all(v >= threshold and v % 5 == 0 for v in shown), (slide.key, column)


def test_every_page_of_a_public_safe_pack_says_so(auditville, on):
    options = on(auditville)
    view = Filters(options.min_date, options.max_date, public_safe=True)
    data = pack.make([registry.Part(view, kpis=("digital_takeup",))], options, ".pptx")
    for slide in Presentation(io.BytesIO(data)).slides:
        assert any(shape.name == "Public-safe badge" and shape.text_frame.text == "PUBLIC-SAFE FIGURES"
                   for shape in slide.shapes)
    reader = PdfReader(io.BytesIO(pack.make([registry.Part(view, kpis=("digital_takeup",))], options, ".pdf")))
    assert all("PUBLIC-SAFE FIGURES" in page.extract_text() for page in reader.pages)


def test_an_internal_pack_still_hides_counts_under_the_threshold(auditville, on):
    options = on(auditville)
    view = Filters(options.min_date, options.max_date, wards=("E05000101",))
    data = pack.make([registry.Part(view, kpis=("digital_takeup",))], options, ".pptx")
    counts = [n for text in pptx_texts(data) for n in counts_in(text, static_words(options))]
    assert counts and all(n >= Policy().threshold for n in counts), sorted(set(counts))


def test_the_count_scanner_finds_counts_and_only_counts():
    text = ("Requests fell 2% between Q2 and Q3 2026 (1,235 to 7). Data through 31 Oct 2026 · Made on 2 Dec 2026 · "
            "£1.41 · -1.0 pts · 0.96 · across 11 KPIs · 3 / 8 · [c] · 4.5 days · 12 requests")
    assert counts_in(text, []) == [1235, 7, 12]


# --------------------------------------------------------------------------- maps drawn without a browser


def test_a_ward_map_is_drawn_from_its_deck_without_a_browser():
    import geopandas as gpd
    import pandas as pd
    import shapely
    from PIL import Image

    from pulse.charts import maps

    squares = [shapely.box(-0.10, lo, -0.09, lo + 0.01) for lo in (51.49, 51.50)]
    shapes = gpd.GeoDataFrame({"ward_code": ["E05000001", "E05000002"], "ward_name": ["South", "North"],
                               "centroid_lon": [-0.095, -0.095], "centroid_lat": [51.495, 51.505]},
                              geometry=squares, crs="EPSG:4326")
    blue, orange = (0, 114, 178), (230, 159, 0)

    def drawn(status: list[str]) -> dict[tuple, int]:
        frame = pd.DataFrame({"ward_code": ["E05000001", "E05000002"], "ward_name": ["South", "North"],
                              "fill": [[*blue, 255], [*orange, 255]], "status": status, "shown": ["55%", "61%"],
                              "base": ["", ""]})
        deck = maps.ward_deck(shapes, label_table(frame, labels=list(frame.columns)),
                              alt_text="Digital take-up by ward", labels=True)
        with Image.open(io.BytesIO(images.deck_png(deck, 600, 400))) as image:
            assert image.size == (600, 400)
            return {colour: n for n, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}

    plain = drawn(["value", "value"])
    assert plain.get(blue, 0) > 10_000 and plain.get(orange, 0) > 10_000  # both wards in their deck colours
    hatched = drawn(["value", "suppressed"])  # a hidden ward is hatched over, as on the screen
    assert hatched.get(orange, 0) < plain[orange] / 2 and hatched.get(blue, 0) == plain[blue]


def test_a_chart_is_drawn_offline_at_slide_size(demo_db, on):
    options = on(demo_db)
    slide = registry.build([registry.Part(Filters(options.min_date, options.max_date), kpis=())], options)[1]
    assert isinstance(slide.chart, Chart)
    from PIL import Image

    with Image.open(io.BytesIO(images.chart_png(slide.chart, 800, 300, scale=1))) as image:
        assert image.size == (800, 300)


# --------------------------------------------------------------------------- the command line


def test_the_command_line_writes_a_pack(demo_db, tmp_path, capsys):
    out = tmp_path / "monthly" / "board.pptx"
    assert main(["pack", "--out", str(out), "--db", str(demo_db)]) == 0
    assert len(Presentation(str(out)).slides) >= 3
    assert capsys.readouterr().out.startswith(f"Board pack written to {out} in ")


def test_the_command_line_packs_a_saved_view_and_notes_what_it_dropped(demo_db, tmp_path, capsys):
    from pulse import saved_views

    db = tmp_path / "pulse.duckdb"
    shutil.copy(demo_db, db)
    saved_views.save("Phone, old ward", "kpis", {"channel": ["phone"], "ward": ["E05899999"],
                                                 "kpi": ["digital_takeup"]}, db)
    out = tmp_path / "board.pdf"
    assert main(["pack", "--out", str(out), "--view", "phone, OLD ward", "--db", str(db), "--public-safe"]) == 0
    err = capsys.readouterr().err
    assert "note: Ignored ward value(s) in the link that are not in the data: “E05899999”." in err
    text = pdf_text(out.read_bytes())
    assert "Channel: phone" in text and "PUBLIC-SAFE FIGURES" in text
    assert len(PdfReader(str(out)).pages) == 2  # the cover and the one KPI the view chose


@pytest.mark.parametrize("args, said", [
    (["--out", "pack.docx"], "must end in .pptx or .pdf"),
    (["--out", "pack.pptx", "--view", "Nope"], "no saved view named 'Nope' (saved views: none saved yet)"),
])
def test_the_command_line_says_what_is_wrong(demo_db, tmp_path, capsys, args, said):
    db = tmp_path / "pulse.duckdb"
    shutil.copy(demo_db, db)
    args = [a if a not in ("pack.docx", "pack.pptx") else str(tmp_path / a) for a in args]
    assert main(["pack", *args, "--db", str(db)]) == 2
    assert said in capsys.readouterr().err


def test_the_command_line_needs_a_database(tmp_path, capsys):
    assert main(["pack", "--out", str(tmp_path / "p.pdf"), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no database at" in capsys.readouterr().err

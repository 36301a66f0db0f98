"""The Data page's upload form in real Chromium: an export is validated, loaded, and the page redrawn from it."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import TINY

from .conftest import shared

GOOD = b"request_id,created_at,service,channel\nU1,2026-03-01 10:00,Pothole,Web\nU2,2026-03-02 10:00,Pothole,Fax\n"


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory):
    """An app server on its own copy of the tiny fixture, so an upload changes no other test's data."""
    from pulse.ingest import ingest

    root = tmp_path_factory.mktemp("data-upload")
    shutil.copytree(TINY, root / "exports")
    ingest(root / "exports", root / "pulse.duckdb")
    running = shared.start_server(root / "pulse.duckdb", log_dir=tmp_path_factory.mktemp("streamlit-upload"),
                                  timeout=60)
    yield running
    running.stop()


def metric(page, label: str) -> str:
    """The value of the metric tile with this label."""
    tile = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return tile.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_an_uploaded_export_is_loaded_and_the_whole_page_redrawn(page, upload_server, wait_until_idle,
                                                                 save_screenshot):
    page.goto(f"{upload_server.url}/data", wait_until="domcontentloaded")
    wait_until_idle(page)
    assert (metric(page, "Rows read"), metric(page, "Rejected")) == ("30", "0")
    # The browser sends the file to the server on its own request; submitting before it is in would send none.
    with page.expect_response(lambda response: "/_stcore/upload_file" in response.url and response.ok):
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "march.csv", "mimeType": "text/csv", "buffer": GOOD}])
    page.locator('[data-testid="stFileChipName"]').filter(has_text="march.csv").wait_for()
    page.get_by_role("button", name="Validate and load").click()
    page.get_by_text("march.csv: 2 rows read, 1 loaded into service_requests, 1 rejected").wait_for()
    wait_until_idle(page)
    # The page above the form was drawn again from the rebuilt database, not left as it was.
    assert (metric(page, "Rows read"), metric(page, "Loaded"), metric(page, "Rejected")) == ("32", "31", "1")
    assert page.get_by_text("Show the rejected rows of").count() == 1
    save_screenshot(page, "data-after-upload.png")

"""Small boroughs written for the KPI page tests, with figures simple enough to work out by hand.

Testville: 14 months (Jan 2025 to Feb 2026) of exactly 100 requests a month, made on the 3rd to the 27th.
Digital requests (online, 10 of them by app) are 60 + DIGITAL_SWING[m] in month m, the rest by phone (10
of them face to face), so digital take-up is 60%, 64%, 58%, … 59%: noise around 60%, no signal. Its
catalogue holds one KPI of each kind the page must handle (see KPIS).

Two variants take columns or channels away: "requests_only" (request_id, created_at, service and channel,
no catalogue) and "all_digital" (every request online or by app, no catalogue).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

MONTHS = pd.date_range("2025-01-01", "2026-02-01", freq="MS")
DIGITAL_SWING = (0, 4, -2, 3, -3, 1, -1, 2, -4, 0, 3, -2, 1, -1)
SERVICES = ("Missed bin collection", "Pothole")
COUNCIL_SQL = """-- One row per month: a council's own measure whose query gives no denominator.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select date_trunc('month', created_at)::date as period, count(*) as numerator, null::bigint as denominator,
    0.5 as value
from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
group by period
order by period
"""
COUNCIL_QUERY = "kpi_council_no_denominator_by_month"
KPIS = (
    "id,name,challenge,unit,polarity,target,definition,owner,frequency\n"
    "digital_takeup,Digital take-up,Residents can do it online,%,higher,0.65,kpi_digital_takeup_by_month,"
    "Head of Digital,monthly\n"
    "cost_per_transaction,Cost per transaction,Residents can do it online,£,lower,1.50,"
    "kpi_cost_per_transaction_by_month,Director of Finance,monthly\n"
    "completion_rate,Completion rate,Residents can do it online,%,higher,0.9,kpi_completion_rate_by_month,"
    "Head of Digital,monthly\n"
    "user_satisfaction,User satisfaction,Residents are satisfied,%,higher,0.8,kpi_user_satisfaction_by_month,"
    "Head of Customer Experience,monthly\n"
    f"council_own,Council's own measure,Our own measures,%,higher,,{COUNCIL_QUERY},Head of Policy,monthly\n"
    "calls_answered,Calls answered within 60 seconds,Residents can get through,%,higher,0.8,manual,"
    "Contact Centre Manager,monthly\n"
)
CALLS_VALUES = (("2025-10-01", 0.70), ("2025-11-01", 0.72), ("2025-12-01", 0.74), ("2026-01-01", 0.73),
                ("2026-02-01", 0.75))


def requests(all_digital: bool = False) -> pd.DataFrame:
    """One row per request: 100 a month, digital share 60% plus the month's swing (or all digital)."""
    rows = []
    for m, month in enumerate(MONTHS):
        digital = 100 if all_digital else 60 + DIGITAL_SWING[m]
        channels = ["app"] * 10 + ["online"] * (digital - 10) + ["face_to_face"] * min(10, 100 - digital) + \
            ["phone"] * max(0, 90 - digital)
        for k, channel in enumerate(channels):
            rows.append({"request_id": f"T{m:02d}{k:03d}",
                         "created_at": (month + pd.Timedelta(days=2 + k % 25, hours=9)).strftime("%Y-%m-%d %H:%M"),
                         "service": SERVICES[k % 2], "channel": channel})
    return pd.DataFrame(rows)


def write(folder: Path, variant: str = "base") -> Path:
    """Write a variant's exports ("base", "requests_only" or "all_digital") into folder and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = requests(all_digital=variant == "all_digital")
    if variant == "requests_only":
        frame = frame[["request_id", "created_at", "service", "channel"]]
    frame.to_csv(folder / "service_requests.csv", index=False)
    if variant == "base":
        (folder / "kpis.csv").write_text(KPIS)
        pd.DataFrame([("calls_answered", d, v) for d, v in CALLS_VALUES],
                     columns=["kpi_id", "period", "value"]).to_csv(folder / "kpi_values.csv", index=False)
    return folder


def build(folder: Path, variant: str = "base") -> Path:
    """The variant's exports ingested into folder/pulse.duckdb."""
    from pulse.ingest import ingest

    write(folder / "exports", variant)
    ingest(folder / "exports", folder / "pulse.duckdb", now=datetime(2026, 3, 15, 12, 0))
    return folder / "pulse.duckdb"

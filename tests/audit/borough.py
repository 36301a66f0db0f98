"""Auditville: a small borough written for the disclosure auditor, and its variants.

Three wards, four services in four directorates plus a small Policy Unit, 14 months of requests,
feedback and staff adoption. Two cells are small on purpose:

- post: the only requests by post are 3 council tax enquiries in North in June 2025 ("requests"
  variant: 4). Every figure that counts post on its own is under the threshold, whatever the filters.
- Policy Unit has 4 leaders (1 executive, 3 senior leaders); in September 2025, 2 of them joined
  Teams meetings ("staff" variant: 3). Leaders there are a group under 5: never shown, never counted.
- feedback: the only ratings through the app in South in May 2025 are 3 ("feedback" variant: 4).

Everything else is large enough to show, and deterministic, so a page run twice gives the same output.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

WARDS = (("E05000101", "North Ward", 51.52, 12000, 2), ("E05000102", "Central Ward", 51.51, 9500, 5),
         ("E05000103", "South Ward", 51.50, 15000, 8))
SERVICES = (("Missed bin collection", "Environment"), ("Council tax enquiry", "Revenues"),
            ("Pothole", "Highways"), ("Housing repair", "Housing"))
CHANNELS = {"online": 9, "app": 5, "phone": 6, "face_to_face": 2, "email": 2}  # requests per ward, month, service
MONTHS = pd.date_range("2025-01-01", "2026-02-01", freq="MS")
SMALL_MONTH = pd.Timestamp("2025-06-01")
VARIANTS = ("base", "requests", "staff", "feedback")
STAFF = {  # directorate: (executives, senior leaders, managers, staff)
    "Environment": (1, 6, 8, 40), "Revenues": (1, 5, 6, 30), "Highways": (1, 5, 6, 25),
    "Housing": (1, 6, 7, 35), "Policy Unit": (1, 3, 3, 9),
}
ACTIVITIES = ("teams_meetings", "e_signature", "digital_training_completed")
COMMENTS = {
    5: "Quick and easy to report online, thank you",
    4: "Staff were helpful and the form was simple",
    3: "It was fine but took a while",
    2: "Waited a long time on the phone before anyone answered",
    1: "The bin was missed again and nobody came back to me",
}


def write(folder: Path, variant: str = "base") -> Path:
    """Write the borough's exports (one variant) into folder and return it."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}")
    folder.mkdir(parents=True, exist_ok=True)
    _wards(folder)
    requests = _requests(variant)
    requests.to_csv(folder / "service_requests.csv", index=False)
    _feedback(requests, variant).to_csv(folder / "feedback.csv", index=False)
    _adoption(variant).to_csv(folder / "adoption.csv", index=False)
    pd.DataFrame({"ward_code": [w[0] for w in WARDS], "population": [w[3] for w in WARDS],
                  "imd_decile": [w[4] for w in WARDS]}).to_csv(folder / "ward_population.csv", index=False)
    (folder / "kpis.csv").write_text(
        "id,name,challenge,unit,polarity,target,definition,owner,frequency\n"
        "digital_takeup,Digital take-up,Residents can do it online,%,higher,0.55,kpi_digital_takeup_by_month,"
        "Head of Digital,monthly\n"
        "cost_per_transaction,Cost per transaction,Residents can do it online,£,lower,1.50,"
        "kpi_cost_per_transaction_by_month,Director of Finance,monthly\n"
        "completion_rate,Completion rate,Residents can do it online,%,higher,0.9,kpi_completion_rate_by_month,"
        "Head of Digital,monthly\n"
        "user_satisfaction,User satisfaction,Residents are satisfied,%,higher,0.7,kpi_user_satisfaction_by_month,"
        "Head of Customer Experience,monthly\n"
        "median_days_to_resolve,Median days to resolve,Requests are resolved quickly,days,lower,4,"
        "kpi_median_days_to_resolve_by_month,Head of Operations,monthly\n"
        "calls_answered,Calls answered within 60 seconds,Residents can get through,%,higher,0.8,manual,"
        "Contact Centre Manager,monthly\n")
    pd.DataFrame({"kpi_id": "calls_answered", "period": MONTHS.strftime("%Y-%m-%d"),
                  "value": [round(0.7 + 0.01 * (i % 5), 2) for i in range(len(MONTHS))]}).to_csv(
        folder / "kpi_values.csv", index=False)
    (folder / "events.csv").write_text("date,label,service,ward_code\n"
                                       "2025-08-01,Online council tax account launched,Council tax enquiry,\n")
    saved = datetime(2026, 3, 1, 9, 0).timestamp()
    for path in folder.iterdir():
        os.utime(path, (saved, saved))  # the same "file saved" time in every variant
    return folder


def _wards(folder: Path) -> None:
    features = [{
        "type": "Feature", "properties": {"ward_code": code, "ward_name": name},
        "geometry": {"type": "Polygon", "coordinates": [[[-0.10, lo], [-0.09, lo], [-0.09, lo + 0.01],
                                                         [-0.10, lo + 0.01], [-0.10, lo]]]},
    } for code, name, lo, _, _ in WARDS]
    (folder / "wards.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def _requests(variant: str) -> pd.DataFrame:
    rows = []
    number = 0
    for m, month in enumerate(MONTHS):
        for w, (code, _, lo, _, _) in enumerate(WARDS):
            for s, (service, directorate) in enumerate(SERVICES):
                for c, (channel, base) in enumerate(CHANNELS.items()):
                    # A steady rise in digital requests, a gentle fall in the rest, and fixed variety.
                    shift = (m // 3) if channel in ("online", "app") else -(m // 5)
                    n = max(1, base + shift + (m * 7 + w * 5 + s * 3 + c) % 4)
                    for k in range(n):
                        number += 1
                        rows.append(_request(number, month, code, lo, service, directorate, channel, k))
    posts = 4 if variant == "requests" else 3
    for k in range(posts):
        number += 1
        rows.append(_request(number, SMALL_MONTH, WARDS[0][0], WARDS[0][2], "Council tax enquiry", "Revenues", "post",
                             k, closed=k < 3))
    return pd.DataFrame(rows)


def _request(number: int, month: pd.Timestamp, ward: str, lo: float, service: str, directorate: str, channel: str,
             k: int, closed: bool = True) -> dict:
    created = month.to_pydatetime() + timedelta(days=(number * 13) % 27, hours=9 + number % 8)
    days = 1 + (number * 7) % 9
    outcome = ("completed", "completed", "completed", "not_eligible", "error")[number % 5]
    return {
        "request_id": f"R{number:06d}",
        "created_at": created.strftime("%Y-%m-%d %H:%M"),
        "closed_at": (created + timedelta(days=days)).strftime("%Y-%m-%d %H:%M") if closed else "",
        "due_at": (created + timedelta(days=6)).strftime("%Y-%m-%d %H:%M"),
        "service": service,
        "directorate": directorate,
        "channel": channel,
        "ward_code": ward,
        "latitude": round(lo + 0.001 + ((number * 37) % 80) / 10000, 5),
        "longitude": round(-0.099 + ((number * 53) % 80) / 10000, 5),
        "outcome": outcome if closed else "",
        "resolved_first_contact": "true" if number % 3 else "false",
        "customer_ref": f"C{(number * 31) % 700:04d}" if closed else "",
    }


def _feedback(requests: pd.DataFrame, variant: str) -> pd.DataFrame:
    rows = []
    number = 0
    for m, month in enumerate(MONTHS):
        for w, (code, _, _, _, _) in enumerate(WARDS):
            for c, channel in enumerate(("online", "phone")):
                for k in range(14 + (m + w + c) % 5):
                    number += 1
                    rating = 1 + (number * 3 + m + w) % 5
                    rows.append(_rating(number, month, code, channel, rating, k))
    south = WARDS[2][0]
    for k in range(4 if variant == "feedback" else 3):
        number += 1
        rows.append(_rating(number, pd.Timestamp("2025-05-01"), south, "app", 2 + k % 3, k))
    return pd.DataFrame(rows)


def _rating(number: int, month: pd.Timestamp, ward: str, channel: str, rating: int, k: int) -> dict:
    submitted = month.to_pydatetime() + timedelta(days=(number * 11) % 27, hours=10)
    return {
        "feedback_id": f"F{number:06d}",
        "submitted_at": submitted.strftime("%Y-%m-%d %H:%M"),
        "rating": rating,
        "service": SERVICES[number % len(SERVICES)][0],
        "channel": channel,
        "ward_code": ward,
        "comment": COMMENTS[rating] if number % 2 else "",
    }


def _adoption(variant: str) -> pd.DataFrame:
    rows = []
    for directorate, sizes in STAFF.items():
        people = []
        for level, size in zip(("executive", "senior_leader", "manager", "staff"), sizes):
            people += [(f"{directorate[:3].upper()}-{level[:3]}-{i}", level) for i in range(size)]
        for m, month in enumerate(MONTHS):
            for a, activity in enumerate(ACTIVITIES):
                for p, (person, level) in enumerate(people):
                    leader = level in ("executive", "senior_leader")
                    chance = (0.35 + 0.03 * m if leader else 0.25 + 0.02 * m) + 0.05 * a
                    active = ((p * 17 + m * 5 + a * 11) % 100) / 100 < min(chance, 0.95)
                    rows.append({"month": month.strftime("%Y-%m-%d"), "person_id": person, "role_level": level,
                                 "directorate": directorate, "activity": activity, "value": int(active)})
    frame = pd.DataFrame(rows)
    small = (frame["directorate"] == "Policy Unit") & frame["role_level"].isin(["executive", "senior_leader"]) & \
            (frame["month"] == "2025-09-01") & (frame["activity"] == "teams_meetings")
    active = frame.loc[small, "value"].to_numpy()
    wanted = 3 if variant == "staff" else 2
    frame.loc[small, "value"] = [1 if i < wanted else 0 for i in range(len(active))]
    return frame


def build(folder: Path, variant: str = "base") -> Path:
    """The variant's exports ingested into folder/pulse.duckdb."""
    from pulse.ingest import ingest

    write(folder / "exports", variant)
    ingest(folder / "exports", folder / "pulse.duckdb", now=datetime(2026, 3, 15, 12, 0))
    return folder / "pulse.duckdb"


if __name__ == "__main__":  # a quick look: python -m tests.audit.borough /tmp/auditville
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/auditville")
    for name in VARIANTS:
        print(name, build(out / name, name))

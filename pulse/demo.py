"""The demo borough: a fictional council's exports, generated deterministically from a seed.

Pulseford (synthetic demo borough) does not exist. Every ward, person, request and comment is
invented; ward codes E05900001… belong to no real ward; phone numbers are Ofcom drama numbers and
e-mail addresses are at example.com / example.org. Files use the canonical names and columns of
pulse.schema, so `python -m pulse ingest` needs no mapping file.

The story baked in (see README.txt in the output folder):
- digital take-up rises steadily from about 40% to 60% over the three years, more slowly and with
  more face-to-face contact in the most deprived wards;
- leaders lead adoption in Environment & Waste, Revenues & Benefits and Customer Services &
  Libraries (whose take-up rises fastest) and lag in Housing, Adult Social Care and Planning &
  Building Control (slowest);
- three step changes, each at a dated event: the online bin form (2024-09-02), the repairs triage
  team (2025-06-02) and the council tax online account (2026-01-12); nothing else steps.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely
from shapely.geometry import MultiPoint, Polygon

from pulse.schema import (
    ACTIONS,
    ADOPTION,
    CHANNELS,
    EVENTS,
    FEEDBACK,
    KPI_VALUES,
    KPIS,
    ROLE_LEVELS,
    SERVICE_REQUESTS,
    WARD_POPULATION,
)

BOROUGH = "Pulseford (synthetic demo borough)"
START = np.datetime64("2023-11-01", "D")
END = np.datetime64("2026-11-01", "D")  # exclusive: the data covers 2023-11-01 to 2026-10-31
N_DAYS = int((END - START).astype(int))
MONTHS = np.arange(np.datetime64("2023-11", "M"), np.datetime64("2026-11", "M"))
CHUNK_ROWS = 1_000_000
REPEAT_RATE = 0.045
FEEDBACK_RATE = 0.10
COMMENT_RATE = 0.40
PII_RATE = 0.03
CREATED_BY = "python -m pulse demo"

# Where the borough sits: on land in the East Midlands, in a local km grid around this point.
LON0, LAT0 = -1.52, 52.88
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON = 111.320 * math.cos(math.radians(LAT0))

# England and Wales bank holidays over the data and the targets that run past it.
BANK_HOLIDAYS = np.array(
    [
        "2023-12-25", "2023-12-26", "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06",
        "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26", "2025-01-01", "2025-04-18",
        "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28", "2027-01-01",
    ],
    dtype="datetime64[D]",
)

# Events: the three that step a KPI, and two that do not move anything borough-wide.
BIN_FORM = np.datetime64("2024-09-02", "D")
REPAIRS_TRIAGE = np.datetime64("2025-06-02", "D")
COUNCIL_TAX_ACCOUNT = np.datetime64("2026-01-12", "D")
CHARTER = np.datetime64("2024-04-15", "D")
INCLUSION_HUB = np.datetime64("2025-03-03", "D")
BIN_FORM_JUMP = 0.27  # online share added to bin services
COUNCIL_TAX_JUMP = 0.18  # online share added to council tax services
HUB_JUMP = 0.06  # digital share added in the hub's ward
TRIAGE_FACTOR = 0.70  # housing repair durations after triage

EW, HT, HO, RB, ASC, CHS, PBC, CSL = (
    "Environment & Waste",
    "Highways & Transport",
    "Housing",
    "Revenues & Benefits",
    "Adult Social Care",
    "Children's Services",
    "Planning & Building Control",
    "Customer Services & Libraries",
)
DIRECTORATES = (EW, HT, HO, RB, ASC, CHS, PBC, CSL)
# Leaders' stance on digital adoption: +1 they lead, -1 they lag. Take-up follows it.
STANCE = {EW: 1.0, HT: 0.3, HO: -1.0, RB: 1.0, ASC: -1.0, CHS: 0.0, PBC: -0.4, CSL: 0.9}
HEADCOUNT = {EW: 220, HT: 140, HO: 190, RB: 150, ASC: 290, CHS: 260, PBC: 90, CSL: 140}

# Monthly demand multipliers, January first.
SEASONS = {
    "flat": [1] * 12,
    "bins": [1.4, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.2],
    "garden": [0.4, 0.9, 1.7, 1.8, 1.6, 1.3, 1.2, 1.1, 0.9, 0.6, 0.3, 0.2],
    "summer": [0.7, 0.7, 0.9, 1.0, 1.2, 1.3, 1.4, 1.3, 1.1, 0.9, 0.8, 0.7],
    "winter": [1.8, 1.7, 1.5, 1.0, 0.8, 0.6, 0.6, 0.6, 0.7, 0.9, 1.2, 1.5],
    "dark": [1.4, 1.2, 1.0, 0.7, 0.6, 0.5, 0.5, 0.6, 0.9, 1.3, 1.6, 1.6],
    "damp": [1.6, 1.5, 1.2, 0.9, 0.6, 0.5, 0.5, 0.5, 0.7, 1.1, 1.5, 1.6],
    "wet": [1.4, 1.2, 1.0, 0.8, 0.7, 0.7, 0.8, 0.9, 1.0, 1.3, 1.5, 1.4],
    "counciltax": [1.0, 1.1, 1.9, 1.8, 1.0, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 0.8],
    "moving": [0.8, 0.9, 1.0, 1.0, 1.1, 1.2, 1.2, 1.3, 1.2, 1.0, 0.9, 0.6],
    "schools": [1.5, 0.6, 1.0, 1.0, 0.6, 0.6, 0.6, 0.7, 1.6, 2.0, 0.9, 1.3],
    "meals": [0.9, 0.8, 0.8, 0.9, 0.9, 0.9, 1.2, 1.5, 1.8, 1.1, 0.8, 0.6],
}


@dataclass(frozen=True)
class Service:
    """One council service and how its requests behave."""

    name: str
    code: str  # an LGSL-like number; invented, not checked against the real list
    directorate: str
    weight: float  # share of demand, before seasonality
    season: str
    deprivation: float  # demand elasticity to ward deprivation
    digital: float  # digital share at the start, in an average ward
    due: int | None  # target to close, in days (None: no target)
    working_days: bool
    sigma: float  # spread of days to close (lognormal)
    coords: float  # share of requests with a map point
    fcr: float  # chance a phone or face-to-face contact is resolved there and then
    not_eligible: float
    backlog: float  # share never closed in the system
    satisfaction: float  # share of good ratings when all goes well


S = Service
SERVICES = (
    S("Missed bin collection", "524", EW, 100, "bins", 0.2, 0.42, 5, True, 0.7, 0.85, 0.10, 0.01, 0.10, 0.80),
    S("Bulky waste collection", "528", EW, 35, "summer", 0.3, 0.46, 10, True, 0.5, 0.85, 0.50, 0.04, 0.15, 0.84),
    S("New or replacement bin", "530", EW, 30, "flat", 0.2, 0.40, 10, True, 0.6, 0.80, 0.30, 0.05, 0.15, 0.80),
    S("Garden waste subscription", "1128", EW, 30, "garden", -0.4, 0.62, 10, True, 0.5, 0.40, 0.45, 0.02, 0.08, 0.85),
    S("Fly-tipping", "515", EW, 45, "summer", 0.8, 0.45, 5, True, 0.8, 0.98, 0.05, 0.03, 0.19, 0.72),
    S("Street cleaning", "511", EW, 22, "flat", 0.5, 0.40, 5, True, 0.7, 0.95, 0.05, 0.02, 0.19, 0.74),
    S("Graffiti removal", "522", EW, 10, "flat", 0.6, 0.45, 10, True, 0.7, 0.98, 0.05, 0.02, 0.23, 0.76),
    S("Dog fouling", "519", EW, 8, "winter", 0.4, 0.40, 5, True, 0.7, 0.95, 0.05, 0.02, 0.28, 0.70),
    S("Noise complaint", "478", EW, 15, "summer", 0.7, 0.35, 10, True, 0.8, 0.80, 0.10, 0.10, 0.23, 0.62),
    S("Pothole", "599", HT, 45, "winter", 0.0, 0.50, 28, False, 0.7, 0.99, 0.05, 0.08, 0.19, 0.70),
    S("Street light fault", "1076", HT, 25, "dark", 0.1, 0.50, 10, True, 0.7, 0.99, 0.05, 0.04, 0.15, 0.78),
    S("Blocked drain or gully", "1083", HT, 12, "wet", 0.0, 0.40, 10, True, 0.8, 0.97, 0.05, 0.06, 0.19, 0.72),
    S("Pavement damage", "601", HT, 12, "winter", 0.1, 0.42, 28, False, 0.7, 0.97, 0.05, 0.10, 0.23, 0.70),
    S("Parking permit application", "1145", HT, 30, "flat", 0.2, 0.62, 5, True, 0.5, 0.55, 0.40, 0.06, 0.06, 0.80),
    S("Parking fine appeal", "1154", HT, 20, "flat", 0.2, 0.58, 28, False, 0.6, 0.20, 0.10, 0.35, 0.10, 0.55),
    S("Abandoned vehicle", "1130", HT, 8, "flat", 0.5, 0.42, 10, True, 0.8, 0.98, 0.05, 0.25, 0.19, 0.70),
    S("Blue Badge application", "1183", HT, 12, "flat", 0.6, 0.40, 42, False, 0.6, 0.55, 0.05, 0.12, 0.10, 0.78),
    S("Housing repair", "1092", HO, 70, "damp", 1.0, 0.22, 28, False, 0.8, 0.80, 0.05, 0.04, 0.19, 0.74),
    S("Damp and mould", "1093", HO, 20, "damp", 1.2, 0.15, 14, False, 0.7, 0.80, 0.02, 0.03, 0.23, 0.66),
    S("Homelessness advice", "1178", HO, 15, "flat", 1.4, 0.12, 56, False, 0.6, 0.55, 0.30, 0.15, 0.19, 0.66),
    S("Housing register application", "1179", HO, 15, "flat", 1.0, 0.40, 28, False, 0.6, 0.55, 0.10, 0.25, 0.11, 0.62),
    S("Anti-social behaviour report", "1190", HO, 12, "summer", 1.0, 0.25, 10, True, 0.8, 0.80, 0.05, 0.10, 0.28, 0.60),
    S("Rent account enquiry", "1187", HO, 20, "flat", 1.0, 0.25, 5, True, 0.5, 0.55, 0.70, 0.02, 0.08, 0.78),
    S("Council tax enquiry", "1057", RB, 70, "counciltax", 0.3, 0.35, 10, True, 0.6, 0.55, 0.50, 0.02, 0.08, 0.74),
    S("Council tax moving home", "1058", RB, 30, "moving", 0.0, 0.50, 10, True, 0.5, 0.55, 0.50, 0.02, 0.06, 0.78),
    S("Council tax single person discount", "1063", RB, 15, "counciltax", 0.2, 0.45, 10, True, 0.6, 0.55, 0.40, 0.15, 0.08, 0.72),
    S("Housing benefit claim", "1069", RB, 20, "flat", 1.5, 0.38, 20, False, 0.6, 0.55, 0.10, 0.18, 0.11, 0.64),
    S("Council tax reduction claim", "1070", RB, 15, "counciltax", 1.5, 0.38, 20, False, 0.6, 0.55, 0.10, 0.18, 0.11, 0.64),
    S("Business rates enquiry", "1066", RB, 8, "counciltax", -0.3, 0.40, 10, True, 0.6, 0.30, 0.60, 0.05, 0.08, 0.72),
    S("Adult social care assessment request", "1217", ASC, 15, "flat", 0.6, 0.12, 28, False, 0.7, 0.55, 0.05, 0.20, 0.23, 0.70),
    S("Carer's support request", "1222", ASC, 6, "flat", 0.4, 0.18, 28, False, 0.7, 0.55, 0.10, 0.10, 0.19, 0.72),
    S("Equipment and adaptations", "1225", ASC, 10, "flat", 0.3, 0.15, 20, True, 0.7, 0.55, 0.05, 0.12, 0.19, 0.74),
    S("Adult safeguarding concern", "1230", ASC, 5, "flat", 0.8, 0.08, 3, True, 0.6, 0.55, 0.0, 0.10, 0.15, 0.70),
    S("School admission application", "1236", CHS, 20, "schools", -0.2, 0.88, 28, False, 0.5, 0.40, 0.20, 0.05, 0.08, 0.76),
    S("Free school meals application", "1240", CHS, 12, "meals", 1.5, 0.62, 10, True, 0.5, 0.40, 0.10, 0.15, 0.08, 0.80),
    S("Early help referral", "1248", CHS, 6, "flat", 1.0, 0.15, 10, True, 0.6, 0.55, 0.05, 0.10, 0.19, 0.70),
    S("Childcare and family information enquiry", "1252", CHS, 6, "flat", 0.3, 0.35, 5, True, 0.5, 0.40, 0.70, 0.05, 0.08, 0.80),
    S("Planning application enquiry", "1311", PBC, 15, "flat", -0.5, 0.50, 10, True, 0.6, 0.60, 0.50, 0.05, 0.10, 0.66),
    S("Planning enforcement complaint", "1316", PBC, 8, "flat", 0.0, 0.45, 28, False, 0.9, 0.98, 0.05, 0.30, 0.38, 0.55),
    S("Building control inspection request", "1320", PBC, 8, "flat", -0.3, 0.45, 3, True, 0.5, 0.95, 0.30, 0.02, 0.08, 0.80),
    S("Tree preservation enquiry", "1325", PBC, 4, "flat", -0.6, 0.45, 28, False, 0.7, 0.95, 0.30, 0.15, 0.15, 0.68),
    S("Library membership and renewals", "1400", CSL, 15, "flat", 0.0, 0.45, None, False, 0.4, 0.30, 0.85, 0.02, 0.04, 0.88),
    S("Leisure centre booking enquiry", "1410", CSL, 12, "summer", -0.3, 0.50, 5, True, 0.5, 0.30, 0.60, 0.03, 0.06, 0.80),
    S("Register a birth or death appointment", "1420", CSL, 12, "flat", 0.2, 0.45, 5, True, 0.4, 0.30, 0.75, 0.01, 0.04, 0.86),
    S("Complaint about the council", "1430", CSL, 10, "flat", 0.5, 0.45, 20, True, 0.7, 0.55, 0.10, 0.20, 0.11, 0.40),
    S("General enquiry", "1440", CSL, 20, "flat", 0.5, 0.20, None, False, 0.6, 0.50, 0.85, 0.02, 0.10, 0.76),
)
del S
BIN_SERVICES = (
    "Missed bin collection", "Bulky waste collection", "New or replacement bin", "Garden waste subscription",
)
COUNCIL_TAX_SERVICES = ("Council tax enquiry", "Council tax moving home", "Council tax single person discount")
REPAIR_SERVICES = ("Housing repair",)

# Channel index order is pulse.schema.CHANNELS.
CH = {name: i for i, name in enumerate(CHANNELS)}
VOICE_CHANNELS = np.array([CH["phone"], CH["face_to_face"], CH["email"]], dtype=np.int8)
# Hours in which each channel's contacts arrive (relative weights, 00:00 first).
_DAY = [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.6, 2.6, 3.2, 3.2, 3.0,
        2.8, 2.9, 2.9, 2.7, 2.5, 2.4, 2.4, 2.7, 2.8, 2.4, 1.5, 0.6]
_OFFICE = [0] * 8 + [1.5, 3.2, 3.0, 2.6, 2.4, 2.5, 2.4, 2.2, 1.8, 0.6] + [0] * 6
_COUNTER = [0] * 9 + [2.5, 3.0, 2.6, 2.3, 2.4, 2.2, 1.8, 0.8] + [0] * 7
_POST = [0] * 9 + [4, 3, 2] + [0] * 12
HOURS = np.array([_DAY, _DAY, _OFFICE, _COUNTER, _DAY, _POST, _DAY, _DAY], dtype=float)

ACTIVITIES = (
    "teams_meetings",
    "digital_training_completed",
    "dashboard_viewed",
    "e_signature",
    "shared_documents",
    "mobile_working",
)

WARD_NAMES_NEUTRAL = (
    "Millbrook", "Ashby Green", "St Anne's", "Hollins Cross", "Castle Mead", "Oakhurst",
    "Fenwick Park", "Kingsmoor", "Thornley", "Brackenhill", "Larkrise", "Cobden Vale",
    "Abbey Fields",
)
# Names that belong on one side of the borough: (name, direction in degrees, 0 = east).
WARD_NAMES_PLACED = (("Northgate", 90), ("Westbury Park", 180), ("Eastfield", 0), ("Southmoor", 270))


def generate(out: Path, requests: int = 300_000, seed: int = 7) -> dict[str, int]:
    """Write the demo borough's exports into `out`; return the number of rows in each file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    geo_rng, req_rng, fb_rng, adopt_rng, kpi_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)
    )
    borough = _borough(geo_rng)
    _write_wards(out / "wards.geojson", borough)
    pd.DataFrame(
        {"ward_code": borough.codes, "population": borough.population, "imd_decile": borough.imd}
    )[list(WARD_POPULATION.names)].to_csv(out / "ward_population.csv", index=False, lineterminator="\n")

    n_requests, n_feedback = _write_requests(out, borough, requests, req_rng, fb_rng)
    adoption = _adoption(adopt_rng)
    pq.write_table(adoption, out / "adoption.parquet", compression="zstd")
    kpis = _kpis()
    kpis.to_csv(out / "kpis.csv", index=False, lineterminator="\n")
    kpi_values = _kpi_values(kpi_rng, adoption)
    kpi_values.to_csv(out / "kpi_values.csv", index=False, lineterminator="\n")
    events = _events(borough)
    events.to_csv(out / "events.csv", index=False, lineterminator="\n")
    actions = _actions()
    actions.to_csv(out / "actions.csv", index=False, lineterminator="\n")
    legacy = _legacy_export(borough)
    legacy.to_csv(out / LEGACY_FILE, index=False, lineterminator="\r\n", encoding="cp1252")
    summary = {
        "service_requests": n_requests,
        "service_requests_legacy": len(legacy),
        "feedback": n_feedback,
        "adoption": adoption.num_rows,
        "wards": len(borough.codes),
        "ward_population": len(borough.codes),
        "kpis": len(kpis),
        "kpi_values": len(kpi_values),
        "events": len(events),
        "actions": len(actions),
    }
    (out / "README.txt").write_text(_readme(seed, requests, summary, borough), encoding="utf-8")
    return summary


# --------------------------------------------------------------------------- the borough's map


@dataclass
class Borough:
    """The wards: shapes in lon/lat, codes, names, people, and address points to place requests."""

    polygons: list[Polygon]
    codes: list[str]
    names: list[str]
    population: np.ndarray
    imd: np.ndarray
    deprivation: np.ndarray  # +1 most deprived … -1 least, from the IMD decile
    addresses: list[np.ndarray]  # per ward, (n, 2) lon/lat points strictly inside it
    hub_ward: int


def _to_lonlat(xy: np.ndarray) -> np.ndarray:
    return np.column_stack([LON0 + xy[:, 0] / KM_PER_DEG_LON, LAT0 + xy[:, 1] / KM_PER_DEG_LAT])


def _outline(rng: np.random.Generator) -> Polygon:
    """A smooth irregular blob about 8 km east-west by 10 km north-south."""
    theta = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    r = np.ones_like(theta)
    for k in range(2, 10):
        r += rng.uniform(0.04, 0.12) / k**0.7 * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    x, y = 4.0 * r * np.cos(theta), 5.0 * r * np.sin(theta)
    angle = rng.uniform(-0.3, 0.3)
    xr, yr = x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)
    return shapely.make_valid(Polygon(np.column_stack([xr, yr])))


def _inside(rng: np.random.Generator, shape, n: int, centre_bias: float = 0.0) -> np.ndarray:
    """n random points inside a shape (rejection sampling), optionally denser near the centre."""
    minx, miny, maxx, maxy = shape.bounds
    found: list[np.ndarray] = []
    total = 0
    while total < n:
        pts = rng.uniform((minx, miny), (maxx, maxy), size=(max(4 * n, 64), 2))
        keep = shapely.contains_xy(shape, pts[:, 0], pts[:, 1])
        if centre_bias:
            d = np.hypot(pts[:, 0], pts[:, 1]) / max(maxx - minx, maxy - miny) * 2
            keep &= rng.random(len(pts)) < np.exp(-centre_bias * d)
        found.append(pts[keep])
        total += int(keep.sum())
    return np.concatenate(found)[:n]


def _cells(seeds: np.ndarray, outline: Polygon) -> list[Polygon]:
    """Voronoi cells of the seeds clipped to the outline, stray fragments merged to a neighbour."""
    box = shapely.box(*outline.buffer(5).bounds)
    voronoi = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=box, ordered=True)
    cells = [c.intersection(outline) for c in voronoi.geoms]
    pieces: list[Polygon] = []
    for i, cell in enumerate(cells):
        parts = sorted(getattr(cell, "geoms", [cell]), key=lambda g: -g.area)
        cells[i] = parts[0]
        pieces.extend(parts[1:])
    for piece in pieces:
        shared = [cells[j].boundary.intersection(piece.boundary).length for j in range(len(cells))]
        j = int(np.argmax(shared))
        cells[j] = cells[j].union(piece)
    return cells


def _borough(rng: np.random.Generator) -> Borough:
    outline = _outline(rng)
    seeds = _inside(rng, outline, 20, centre_bias=0.7)
    for _ in range(2):  # a little Lloyd relaxation: varied but not sliver-shaped cells
        cells = _cells(seeds, outline)
        seeds = np.array([[c.centroid.x, c.centroid.y] for c in cells])
        seeds = seeds + rng.normal(0, 0.25, seeds.shape)
        inside = shapely.contains_xy(outline, seeds[:, 0], seeds[:, 1])
        seeds = np.where(inside[:, None], seeds, [[c.centroid.x, c.centroid.y] for c in cells])
    # Bend the straight Voronoi edges: one smooth displacement of the whole map keeps wards
    # contiguous and non-overlapping while making boundaries wander like real ones.
    waves = [(rng.uniform(0.7, 1.8), rng.uniform(0, np.pi), rng.uniform(0, 2 * np.pi)) for _ in range(8)]

    def warp(xy: np.ndarray) -> np.ndarray:
        out = xy.copy()
        for i, (length, angle, phase) in enumerate(waves):
            along = xy @ np.array([math.cos(angle), math.sin(angle)])
            out[:, i % 2] += 0.04 * np.sin(2 * np.pi * along / length + phase)
        return out

    cells = [shapely.transform(shapely.segmentize(c, 0.08), warp) for c in _cells(seeds, outline)]
    cells = [shapely.set_precision(c, 1e-9) for c in cells]
    centres = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    # Number the wards north to south, west to east, as boundary commissions tend to.
    order = np.lexsort((centres[:, 0], -np.round(centres[:, 1] / 2.5)))
    cells = [cells[i] for i in order]
    centres = centres[order]
    names = _ward_names(rng, centres)

    # Deprivation clusters around the old town east of the centre; the outskirts are affluent.
    focus = np.array([1.2, -0.4])
    score = np.hypot(*(centres - focus).T) + rng.normal(0, 0.5, len(cells))
    deciles = np.array([1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10])
    imd = np.empty(len(cells), dtype=np.int64)
    imd[np.argsort(score, kind="stable")] = deciles
    # Deprived inner wards are a little more densely peopled.
    population = np.round(rng.uniform(9_000, 17_300, len(cells)) * np.where(imd <= 3, 1.04, 1.0)).astype(np.int64)
    deprivation = np.clip((5.5 - imd) / 4.5, -1, 1)

    polygons, addresses = [], []
    for cell in cells:
        ring = _to_lonlat(np.asarray(cell.exterior.coords))
        poly = shapely.orient_polygons(shapely.set_precision(Polygon(ring), 1e-6))
        polygons.append(poly)
        pts = _to_lonlat(_inside(rng, cell.buffer(-0.03), 3_000))
        pts = np.round(pts, 6)
        addresses.append(pts[shapely.contains_xy(poly, pts[:, 0], pts[:, 1])])
    codes = [f"E059{i + 1:05d}" for i in range(len(cells))]
    hub = int(np.argmin(score))  # the most deprived ward gets the digital inclusion hub
    return Borough(polygons, codes, names, population, imd, deprivation, addresses, hub)


def _ward_names(rng: np.random.Generator, centres: np.ndarray) -> list[str]:
    n = len(centres)
    names: list[str | None] = [None] * n
    centre = int(np.argmin(np.hypot(*(centres - centres.mean(axis=0)).T)))
    names[centre] = "Pulseford Central"
    # A river runs west to east just south of the centre; the wards either side take its name.
    river_y = centres[centre, 1] - 0.9
    dist = np.abs(centres[:, 1] - river_y) + 0.5 * np.abs(centres[:, 0] - centres[centre, 0])
    for label, side in (("Riverside North", 1), ("Riverside South", -1)):
        ok = [i for i in np.argsort(dist) if names[i] is None and np.sign(centres[i, 1] - river_y) == side]
        if ok:
            names[ok[0]] = label
    for label, deg in WARD_NAMES_PLACED:
        direction = np.array([math.cos(math.radians(deg)), math.sin(math.radians(deg))])
        reach = (centres - centres.mean(axis=0)) @ direction
        best = [i for i in np.argsort(-reach) if names[i] is None][0]
        names[best] = label
    rest = list(rng.permutation(WARD_NAMES_NEUTRAL))
    return [name if name is not None else str(rest.pop()) for name in names]


def _write_wards(path: Path, borough: Borough) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"ward_code": code, "ward_name": name},
            "geometry": {"type": "Polygon", "coordinates": [np.asarray(poly.exterior.coords).tolist()]},
        }
        for code, name, poly in zip(borough.codes, borough.names, borough.polygons)
    ]
    doc = {"type": "FeatureCollection", "name": f"{BOROUGH} wards", "features": features}
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- service requests


def _service_arrays() -> dict[str, np.ndarray]:
    def col(attr: str, dtype=float) -> np.ndarray:
        return np.array([getattr(s, attr) for s in SERVICES], dtype=dtype)

    due = np.array([s.due if s.due is not None else -1 for s in SERVICES])
    # Calendar days the target allows, to pitch each service's median so 80–90% close in time.
    due_cd = np.where(col("working_days", bool), due * 7 / 5 + 0.5, due).astype(float)
    due_cd = np.where(due < 0, 10.0, due_cd)
    within = np.linspace(0.80, 0.90, len(SERVICES))[np.argsort(col("weight") * 7919 % 101)]
    z = np.array([NormalDist().inv_cdf(p) for p in within])
    sigma = col("sigma")
    names = [s.name for s in SERVICES]
    return {
        "weight": col("weight"),
        "deprivation": col("deprivation"),
        "digital": col("digital"),
        "due": due,
        "working_days": col("working_days", bool),
        "median": due_cd * np.exp(-z * sigma),
        "sigma": sigma,
        "coords": col("coords"),
        "fcr": col("fcr"),
        "not_eligible": col("not_eligible"),
        "backlog": col("backlog"),
        "satisfaction": col("satisfaction"),
        "stance": np.array([STANCE[s.directorate] for s in SERVICES]),
        "bins": np.isin(names, BIN_SERVICES),
        "counciltax": np.isin(names, COUNCIL_TAX_SERVICES),
        "repairs": np.isin(names, REPAIR_SERVICES),
        "housing": np.array([s.name in ("Housing repair", "Damp and mould") for s in SERVICES]),
    }


def _day_weights() -> tuple[np.ndarray, np.ndarray]:
    """Demand per day × service (before normalising), and whether each day is a weekend/holiday."""
    days = START + np.arange(N_DAYS)
    dow = (days.astype(np.int64) + 3) % 7  # 0 = Monday
    holiday = np.isin(days, BANK_HOLIDAYS)
    closed = (dow >= 5) | holiday
    day_factor = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.45, 0.35])[dow]
    day_factor = np.where(holiday, 0.35, day_factor)
    month = (days.astype("datetime64[M]").astype(np.int64) % 12)
    season = np.array([SEASONS[s.season] for s in SERVICES], dtype=float)
    season /= season.mean(axis=1, keepdims=True)
    weights = np.array([s.weight for s in SERVICES]) * season[:, month].T * day_factor[:, None]
    # Missed-bin reports pile up on the working day after a bank holiday moves the rounds.
    after_holiday = np.roll(holiday, 1) & ~closed
    after_holiday |= np.roll(holiday, 3) & (dow == 0)
    bins = np.array([s.name == "Missed bin collection" for s in SERVICES])
    weights[np.ix_(after_holiday, bins)] *= 1.8
    return weights, closed


def _scramble(idx: np.ndarray, bits: int, salt: int) -> np.ndarray:
    """A bijection of integers onto `bits`-bit keys: distinct inputs give distinct pseudonyms."""
    mask = np.uint64((1 << bits) - 1)
    x = (idx.astype(np.uint64) + np.uint64(salt)) & mask
    x = (x * np.uint64(0x9E3779B97F4A7C15)) & mask
    x ^= x >> np.uint64(bits // 2)
    x = (x * np.uint64(0xBF58476D1CE4E5B9)) & mask
    x ^= x >> np.uint64(bits // 3)
    return x


_HEX = np.array([f"{i:02x}" for i in range(256)], dtype="S2")


def _hex_ids(prefix: str, keys: np.ndarray, nbytes: int) -> pa.Array:
    """prefix + fixed-width lowercase hex of each key, built without a Python loop."""
    raw = keys.astype(">u8").view(np.uint8).reshape(-1, 8)[:, 8 - nbytes :]
    text = np.ascontiguousarray(_HEX[raw]).view(f"S{2 * nbytes}").ravel()
    return pc.binary_join_element_wise(prefix, pa.array(text).cast(pa.string()), "")


def _numbered_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width, "0"), "")


def _pick(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One category per row from a (rows × categories) matrix of relative weights."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), weights.shape[1] - 1)


def _channels(rng, sv, s, w, day, closed_day, borough) -> np.ndarray:
    """Channel of each request: a steady shift to digital, slower in deprived wards, plus events."""
    t = day / N_DAYS * 3  # years since the start
    dep = borough.deprivation[w]
    pace = 0.056 * (1 + 0.55 * sv["stance"][s]) * (1 - 0.45 * dep)
    p_digital = sv["digital"][s] - 0.035 - 0.07 * dep + pace * t
    p_digital += HUB_JUMP * ((w == borough.hub_ward) & (day >= int((INCLUSION_HUB - START).astype(int))))
    p_digital = np.clip(p_digital, 0.03, 0.92)
    app = 0.16 + 0.04 * t
    p_app = p_digital * app
    p_online = p_digital * (1 - app)
    p_online += BIN_FORM_JUMP * (sv["bins"][s] & (day >= int((BIN_FORM - START).astype(int))))
    p_online += COUNCIL_TAX_JUMP * (sv["counciltax"][s] & (day >= int((COUNCIL_TAX_ACCOUNT - START).astype(int))))
    p_online = np.minimum(p_online, 0.95 - p_app)
    # Contact centre and counters are shut at weekends: some of that demand goes online instead.
    boost = np.where(closed_day[day], 0.45, 0.0) * (1 - p_online - p_app)
    p_online = p_online + boost * (1 - app)
    p_app = p_app + boost * app
    rest = 1 - p_online - p_app
    n = len(s)
    # Offline mix: phone, face to face (more in deprived wards, none when closed), email, post, social, other.
    f2f = 0.14 * (1 + 1.2 * np.maximum(dep, 0)) * ~closed_day[day] * (1 - 0.25 * t / 3)
    post = 0.03 * (1 - t / 6)
    offline = np.column_stack([np.full(n, 0.66), f2f, np.full(n, 0.11), post, np.full(n, 0.02), np.full(n, 0.015)])
    offline *= (rest / offline.sum(axis=1))[:, None]
    weights = np.column_stack([p_online, p_app, offline])
    order = ["online", "app", "phone", "face_to_face", "email", "post", "social", "other"]
    return np.array([CH[c] for c in order], dtype=np.int8)[_pick(rng, weights)]


def _time_of_day(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    """Seconds after midnight at which each contact arrives, by channel opening hours."""
    seconds = np.empty(len(channel), dtype=np.int64)
    for c in range(len(CHANNELS)):
        rows = np.flatnonzero(channel == c)
        cum = np.cumsum(HOURS[c]) / HOURS[c].sum()
        hour = np.searchsorted(cum, rng.random(len(rows)), side="right")
        seconds[rows] = hour * 3600 + rng.integers(0, 3600, len(rows))
    return seconds


def _close(rng, sv, s, channel, created, day, end_sec) -> dict[str, np.ndarray]:
    """Due date, closure, outcome and first-contact resolution of each request."""
    n = len(s)
    start_sec = START.astype("datetime64[s]").astype(np.int64)
    created_day = (START + day).astype("datetime64[D]")
    tod = created - start_sec - day.astype(np.int64) * 86400
    due_n = sv["due"][s]
    has_due = due_n >= 0
    wd = sv["working_days"][s] & has_due
    due_day = created_day + np.where(has_due, due_n, 0).astype("timedelta64[D]")
    if wd.any():
        due_day[wd] = np.busday_offset(created_day[wd], due_n[wd], roll="forward", holidays=BANK_HOLIDAYS)
    due = np.where(has_due, (due_day.astype(np.int64) - START.astype(np.int64)) * 86400 + start_sec + tod, -1)

    # Online forms that complete a transaction themselves (bookings, subscriptions) count here too.
    channel_fcr = np.array([0.9, 0.9, 1.4, 1.5, 0.3, 0.05, 0.05, 0.1])[channel]
    fcr = rng.random(n) < np.minimum(sv["fcr"][s] * channel_fcr, 0.95)
    factor = np.where(sv["repairs"][s] & (day >= int((REPAIRS_TRIAGE - START).astype(int))), TRIAGE_FACTOR, 1.0)
    days = sv["median"][s] * factor * np.exp(sv["sigma"][s] * rng.standard_normal(n))
    # Officers close cases in working hours on working days.
    close_day = ((created - start_sec) // 86400 + days.astype(np.int64)).astype("timedelta64[D]") + START
    close_day = np.busday_offset(close_day, 0, roll="forward", holidays=BANK_HOLIDAYS)
    close_sec = (close_day.astype(np.int64) - START.astype(np.int64)) * 86400 + start_sec
    closed = close_sec + rng.integers(8 * 3600, 18 * 3600, n)
    closed = np.where(closed <= created + 300, created + rng.integers(300, 7200, n), closed)
    closed = np.where(fcr, np.minimum(created + rng.integers(120, 1500, n), end_sec - 1), closed)
    stuck = ~fcr & (rng.random(n) < sv["backlog"][s])
    # Residents chase what is late or stuck; judged on the plan, not on what the extract cut off.
    chase = stuck | ((due >= 0) & (closed > due))
    is_open = stuck | (closed >= end_sec)
    closed = np.where(is_open, -1, closed)

    # Online drop-outs fall as forms improve, enough to keep completion flat as people move online.
    t = day / N_DAYS
    dropped = np.array([0.07, 0.06, 0.015, 0.01, 0.03, 0.02, 0.03, 0.02])[channel]
    dropped = dropped - np.where(channel <= CH["app"], 0.022 * t, 0.0)
    u = rng.random(n)
    ne = sv["not_eligible"][s] * np.where(fcr, 0.5, 1.0)
    outcome = np.select([u < ne, u < ne + 0.02, u < ne + 0.02 + dropped], [1, 2, 3], 0).astype(np.int8)
    outcome = np.where(is_open, -1, outcome).astype(np.int8)
    return {"due": due, "closed": closed, "outcome": outcome, "fcr": fcr, "chase": chase}


def _chunk(rng, sv, borough, counts, day0, n_rep, closed_day, cust_offsets, cust_sizes):
    """The requests created on one run of days (plus repeat contacts they prompt)."""
    start_sec = START.astype("datetime64[s]").astype(np.int64)
    end_sec = _end_sec()
    n_wards = len(borough.codes)
    ward_p = borough.population[None, :] * np.exp(0.35 * sv["deprivation"][:, None] * borough.deprivation[None, :])
    ward_p = ward_p / ward_p.sum(axis=1, keepdims=True)
    parts_s, parts_d, parts_w = [], [], []
    for k in range(len(SERVICES)):
        d = np.repeat(np.arange(counts.shape[0]) + day0, counts[:, k])
        parts_d.append(d)
        parts_s.append(np.full(len(d), k, dtype=np.int16))
        parts_w.append(rng.choice(n_wards, size=len(d), p=ward_p[k]).astype(np.int16))
    s, day, w = np.concatenate(parts_s), np.concatenate(parts_d), np.concatenate(parts_w)
    n = len(s)
    channel = _channels(rng, sv, s, w, day, closed_day, borough)
    created = start_sec + day.astype(np.int64) * 86400 + _time_of_day(rng, channel)
    rows = {"s": s, "w": w, "channel": channel, "created": created, "day": day}
    rows |= _close(rng, sv, s, channel, created, day, end_sec)

    # Where: an address in the ward, for services that record one.
    has_xy = rng.random(n) < sv["coords"][s]
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    for k in range(n_wards):
        idx = np.flatnonzero(has_xy & (w == k))
        pts = borough.addresses[k][rng.integers(0, len(borough.addresses[k]), len(idx))]
        lon[idx], lat[idx] = pts[:, 0], pts[:, 1]
    rows["lon"], rows["lat"] = lon, lat
    rows["customer"] = cust_offsets[w] + (rng.random(n) * cust_sizes[w]).astype(np.int64)

    # Repeat contacts: chasing a request that is late or still open, within 7 days.
    gap = np.minimum(rng.exponential(2 * 86400, n), 7 * 86400 - 1800).astype(np.int64) + 1800
    weight = np.where(rows["fcr"] | (created + gap >= end_sec), 0.0, 1.0 + 3.0 * rows["chase"])
    keys = np.log(rng.random(n)) / np.maximum(weight, 1e-12)
    n_rep = min(n_rep, int((weight > 0).sum()))
    orig = np.sort(np.argpartition(-keys, n_rep - 1)[:n_rep]) if n_rep else np.array([], dtype=np.int64)
    rep_created = created[orig] + gap[orig]
    rep_channel = np.array([CH["phone"], CH["online"], CH["app"], CH["email"], CH["face_to_face"]], dtype=np.int8)[
        _pick(rng, np.tile([0.52, 0.24, 0.05, 0.12, 0.07], (n_rep, 1)))
    ]
    rep_day = ((rep_created - start_sec) // 86400).astype(day.dtype)
    rep = {"s": s[orig], "w": w[orig], "channel": rep_channel, "created": rep_created, "day": rep_day}
    rep |= _close(rng, sv, s[orig], rep_channel, rep_created, rep_day, end_sec)
    rep |= {"lon": lon[orig], "lat": lat[orig], "customer": rows["customer"][orig]}
    # A few records carry a map point but no ward code; ingest finds the ward by point-in-polygon.
    out = {k: np.concatenate([rows[k], rep[k]]) for k in rows}
    out["no_ward"] = (rng.random(len(out["s"])) < 0.01) & ~np.isnan(out["lon"])
    return out


def _end_sec() -> int:
    return int(END.astype("datetime64[s]").astype(np.int64))


def _requests_table(rows: dict[str, np.ndarray], first_id: int, borough: Borough, cust_salt: int) -> pa.Table:
    n = len(rows["s"])
    names = pa.array([s.name for s in SERVICES], pa.string())
    codes = pa.array([s.code for s in SERVICES], pa.string())
    directorates = pa.array([s.directorate for s in SERVICES], pa.string())
    s = pa.array(rows["s"].astype(np.int32))

    def stamp(values: np.ndarray) -> pa.Array:
        return pa.array(values.astype("datetime64[s]").astype("datetime64[us]"), mask=values < 0)

    outcome = rows["outcome"]
    columns = {
        "request_id": _numbered_ids("SR", np.arange(first_id, first_id + n), 9),
        "created_at": stamp(rows["created"]),
        "closed_at": stamp(rows["closed"]),
        "due_at": stamp(rows["due"]),
        "service": names.take(s),
        "service_code": codes.take(s),
        "directorate": directorates.take(s),
        "channel": pa.array(CHANNELS, pa.string()).take(pa.array(rows["channel"].astype(np.int32))),
        "ward_code": pa.array(borough.codes, pa.string()).take(
            pa.array(rows["w"].astype(np.int32), mask=rows["no_ward"])
        ),
        "latitude": pa.array(rows["lat"], mask=np.isnan(rows["lat"])),
        "longitude": pa.array(rows["lon"], mask=np.isnan(rows["lon"])),
        "status": pa.array(["closed", "open"], pa.string()).take(pa.array((outcome < 0).astype(np.int32))),
        "outcome": pa.array(["completed", "not_eligible", "error", "dropped_out"], pa.string()).take(
            pa.array(np.maximum(outcome, 0).astype(np.int32), mask=outcome < 0)
        ),
        # Only the contact centre, counters and the mailbox record first-contact resolution.
        "resolved_first_contact": pa.array(rows["fcr"], mask=~np.isin(rows["channel"], VOICE_CHANNELS)),
        "customer_ref": _hex_ids("C", _scramble(rows["customer"], 40, cust_salt), 5),
    }
    return pa.table([columns[c] for c in SERVICE_REQUESTS.names], names=list(SERVICE_REQUESTS.names))


def _write_requests(out, borough, requests, rng, fb_rng) -> tuple[int, int]:
    """Write service_requests.parquet chunk by chunk, and feedback.csv from the same rows."""
    sv = _service_arrays()
    weights, closed_day = _day_weights()
    n_rep_total = int(round(requests * REPEAT_RATE))
    n_base = requests - n_rep_total
    counts = rng.multinomial(n_base, (weights / weights.sum()).ravel()).reshape(weights.shape)
    per_day = counts.sum(axis=1)
    cum = np.cumsum(per_day)
    bounds = [0]
    for k in range(1, int(math.ceil(n_base / CHUNK_ROWS))):
        bounds.append(int(np.searchsorted(cum, k * CHUNK_ROWS)) + 1)
    bounds.append(N_DAYS)
    bounds = sorted(set(bounds))

    pool = borough.population / borough.population.sum() * max(2_000, int(requests * 0.42))
    cust_sizes = np.maximum(pool.astype(np.int64), 50)
    cust_offsets = np.concatenate([[0], np.cumsum(cust_sizes)[:-1]])
    cust_salt = int(rng.integers(0, 2**40))

    start_sec = START.astype("datetime64[s]").astype(np.int64)
    # Dictionary-encode only the repetitive columns: ids and references are all distinct.
    repetitive = ["service", "service_code", "directorate", "channel", "ward_code", "status", "outcome",
                  "latitude", "longitude"]
    writer = pq.ParquetWriter(
        out / "service_requests.parquet", _requests_schema(), compression="zstd", use_dictionary=repetitive
    )
    fb_path = out / "feedback.csv"
    fb_path.unlink(missing_ok=True)
    carry: dict[str, np.ndarray] | None = None
    written = n_feedback = 0
    base_done = rep_done = 0
    try:
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            base_done += int(per_day[lo:hi].sum())
            rep_target = int(round(base_done * n_rep_total / max(n_base, 1))) if hi < N_DAYS else n_rep_total
            end_sec = start_sec + hi * 86400
            rows = _chunk(
                rng, sv, borough, counts[lo:hi], lo, rep_target - rep_done, closed_day, cust_offsets, cust_sizes
            )
            rep_done = rep_target
            if carry is not None:
                rows = {k: np.concatenate([carry[k], rows[k]]) for k in rows}
            order = np.argsort(rows["created"], kind="stable")
            rows = {k: v[order] for k, v in rows.items()}
            cut = int(np.searchsorted(rows["created"], end_sec)) if hi < N_DAYS else len(order)
            carry = {k: v[cut:] for k, v in rows.items()}
            rows = {k: v[:cut] for k, v in rows.items()}
            writer.write_table(_requests_table(rows, written + 1, borough, cust_salt))
            n_feedback += _write_feedback(fb_path, fb_rng, sv, rows, written + 1, borough, n_feedback)
            written += cut
    finally:
        writer.close()
    return written, n_feedback


def _requests_schema() -> pa.Schema:
    types = {
        "VARCHAR": pa.string(), "TIMESTAMP": pa.timestamp("us"), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
    }
    return pa.schema([(c.name, types[c.type]) for c in SERVICE_REQUESTS.columns])


# --------------------------------------------------------------------------- feedback

THEMES = ("waiting_time", "website", "phone", "staff", "bins", "repairs", "communication", "login")
# Per theme: positive, negative and mixed wording. Some have commas, quotes, £ and line breaks.
COMMENTS = {
    "waiting_time": (
        ("Sorted much quicker than I expected.", "Really quick response, thank you.",
         "Fixed within a couple of days, brilliant.", "Faster than last time, well done.", "Quick, simple and done."),
        ("Waited weeks and nothing happened.", "Far too slow, I had to chase three times.",
         "Still waiting, over a month later.", "It took ages, and nobody told me why.",
         "Too long to sort out a simple problem. Again."),
        ("Got there in the end, but it took longer than it should.",
         "OK once someone picked it up, but the wait was long."),
    ),
    "website": (
        ("The online form was quick and easy.", "Easy to do on the website, took two minutes.",
         "Really easy to report on my phone.", "Simple form, clear confirmation email.",
         "Much better than having to ring up."),
        ("The website kept crashing when I tried to submit.", "Online form is confusing, too many questions.",
         "Couldn't find the right form on the website.", "The form timed out and I lost everything I typed.",
         "The app wouldn't let me log in, so I gave up and phoned."),
        ("Website is better than it was, but still hard to find things.", "Form worked in the end, after two attempts."),
    ),
    "phone": (
        ("Got through on the phone straight away.", "The call centre sorted it in one call.",
         "Quick answer when I rang, very helpful."),
        ("On hold for 45 minutes.", "Nobody answers the phone, I gave up after an hour.",
         "Was passed from one department to another, and cut off twice.", "Phone line closed when I needed it."),
        ("Long wait on the phone, but the person I spoke to was helpful.",),
    ),
    "staff": (
        ("The officer was friendly and really helpful.", "Staff were polite, patient and explained everything.",
         "Thank you to the lady at the counter, she went above and beyond.", "Very professional, kept me informed."),
        ("The person I spoke to was rude and dismissive.", "Staff didn't seem to care.",
         "Felt like I was being fobbed off."),
        ("Staff were nice, but couldn't actually help.",),
    ),
    "bins": (
        ("Bin was collected the next day, thanks.", "New bin delivered quickly.",
         "Crew came back the same day for the missed bin.", "Bulky waste collection was easy to book, and only £25."),
        ("Bins missed again, third time this month.", "Recycling left on the street for a week, it's attracting rats.",
         "Paid for garden waste and they still didn't collect it.",
         "The crew left the bin in the middle of the pavement, again."),
        ("Bin collected eventually, but missed collections keep happening.",),
    ),
    "repairs": (
        ("Repair done properly first time.", "The repairs team were brilliant, fixed the leak the same week.",
         "Contractor turned up on time and tidied up after."),
        ("Damp and mould still there after months.", "Repair appointment cancelled twice, nobody turned up.",
         "Boiler broken for three weeks, with children in the house.",
         "They came out, looked at it,\nand left without fixing anything."),
        ("Repair is done now, but it took three visits.",),
    ),
    "communication": (
        ("Kept me updated all the way through.", "Got a text when it was done, very helpful.",
         "Clear letter explaining what happens next."),
        ("No updates at all, I had no idea what was happening.", "Said it was closed, but it hasn't been fixed.",
         "Nobody rang back as promised.", 'Got an email saying "resolved" when nothing had been done.'),
        ("Update came eventually, but only after I chased.",),
    ),
    # Planted: after the council tax online account launched, residents could not sign in to it
    # until the password reset was fixed (LOGIN_FIX); "Couldn't log in" rises, then falls.
    "login": (
        ("Signed up for the new council tax account in two minutes, easy.",
         "The new council tax account is easy to use once you're set up."),
        ("Couldn't log in to the new council tax account.",
         "The password reset email never came, so I couldn't log in.",
         "Kept getting an error when I tried to sign in to my account.",
         "Locked out of my account after the update, had to phone instead.",
         "The new account logged me out every time I tried to pay."),
        ("Got in eventually, but the log in kept failing.",),
    ),
}
# The planted stories in the comments (README.txt says the same):
LOGIN_FIX = np.datetime64("2026-04-13", "D")  # council tax account: password reset fixed
CALL_BACKS = np.datetime64("2025-10-06", "D")  # call-backs at busy times: fewer waits on hold
PHONE_PEAK_MONTHS = (3, 4)  # council tax bills go out: the phones are busiest in March and April
BUSY_WARD_DEPRIVATION = 0.4  # wards at least this deprived ring most, and wait longest
FIRST_NAMES = (
    "Jane", "Priya", "Tom", "Aisha", "Gareth", "Mei", "Kwame", "Siobhan", "Oliver", "Fatima", "Dev", "Hannah",
)
LAST_NAMES = ("Doe", "Shah", "Hollings", "Okafor", "Pemberton", "Lin", "Ashworth", "Kowalski", "Brennan", "Rahman")


STREETS = ("Pulse Street", "Northgate Road", "Eastfield Avenue", "Westbury Lane", "Southmoor Close")


def _fake_pii(rng: np.random.Generator, n: int) -> np.ndarray:
    """Invented personal details for the redaction to catch: example.* mail, Ofcom drama numbers,
    HMRC's example NI prefix QQ, test card numbers, registrations with an age not issued yet."""
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)]
    add = np.char.add
    domain = np.where(rng.random(n) < 0.5, "@example.com", "@example.org")
    email = add(add(add("Please email me at ", np.char.lower(add(add(first, "."), last))), domain), ".")
    three = np.char.zfill(rng.integers(0, 1000, n).astype(str), 3)
    mobile = add(add(np.where(rng.random(n) < 0.5, "Call me on 07700 900", "Ring 07700900"), three), " any time.")
    london = add(add("My number is 020 7946 0", three), ".")
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    digits = rng.integers(1, 10, (2, n)).astype(str)
    inward = add(digits[1], add(letters[rng.integers(0, 20, n)], letters[rng.integers(0, 20, n)]))
    postcode = add(add(add("I live at PF", digits[0]), " "), inward)
    name = add(add(add("My name is ", first), " "), add(last, "."))
    combo = add(add(add(add("My name is ", first), " "), last), add(", call me on 07700 900", three))
    # Digits 1-9 only below, so no made-up number reads as a mobile outside the drama range.
    nine = rng.integers(1, 10, (8, n)).astype(str)
    pairs = [add(nine[i], nine[i + 1]) for i in (0, 2, 4, 6)]
    house = rng.integers(1, 120, n).astype(str)
    street = np.array(STREETS)[rng.integers(0, len(STREETS), n)]
    title = add(add(np.where(rng.random(n) < 0.5, "Mrs ", "Mr "), last), " next door has the same problem.")
    signoff = add(add(add("Regards, ", first), " "), last)
    iam = add(add(add(add("I am ", first), " "), last), add(add(add(" and I live at ", house), " "), street))
    ni = add("My NI number is QQ ", add(add(add(add(pairs[0], " "), pairs[1]), " "), add(pairs[2], " C.")))
    dob = add(add(add(add("DOB ", rng.integers(10, 29, n).astype(str)), "/"), rng.integers(1, 10, n).astype(str)),
              add("/19", rng.integers(40, 99, n).astype(str)))
    plate = add(add("My car PF79 ", add(letters[rng.integers(0, 20, n)], add(letters[rng.integers(0, 20, n)],
                                                                              letters[rng.integers(0, 20, n)]))),
                " got a ticket outside my own house.")
    bank = add(add(add("Refund to sort code 12-34-56, account ", add(pairs[0], pairs[1])), add(pairs[2], pairs[3])),
               ".")
    card = np.full(n, "I paid with card 4111 1111 1111 1111 and was charged twice.")
    kinds = np.column_stack([email, mobile, london, postcode, name, combo, title, signoff, iam, ni, dob, plate,
                             bank, card])
    # Every kind in turn, so even a small demo has each one for the redaction tests to find.
    return kinds[np.arange(n), (np.arange(n) + rng.integers(0, kinds.shape[1])) % kinds.shape[1]]


def _write_feedback(path, rng, sv, rows, first_id, borough, done) -> int:
    """Append this chunk's feedback rows to feedback.csv; return how many."""
    closed = rows["closed"]
    channel = rows["channel"]
    s = rows["s"]
    invite = np.array([1.35, 1.35, 0.8, 0.6, 1.0, 0.4, 0.7, 0.5])[channel]
    pick = (closed >= 0) & (rng.random(len(s)) < FEEDBACK_RATE / 0.86 * invite / 1.05)
    idx = np.flatnonzero(pick)
    submitted = closed[idx] + 600 + rng.exponential(1.5 * 86400, len(idx)).astype(np.int64)
    keep = submitted < _end_sec()
    idx, submitted = idx[keep], submitted[keep]
    n = len(idx)
    fs, fch = s[idx], channel[idx]
    due = rows["due"][idx]
    late = (due >= 0) & (closed[idx] > due)
    outcome = rows["outcome"][idx]
    digital = (fch == CH["online"]) | (fch == CH["app"])
    dep = borough.deprivation[rows["w"][idx]]
    # The planted stories: the council tax account's sign-in problem, and the spring queues on the
    # phone, busiest in the most deprived wards, until call-backs came in.
    when = submitted.astype("datetime64[s]")
    month = when.astype("datetime64[M]").astype(np.int64) % 12 + 1
    council_tax = np.isin(np.array([service.name for service in SERVICES]), COUNCIL_TAX_SERVICES)[fs]
    login = council_tax & digital & (when >= COUNCIL_TAX_ACCOUNT) & (when < LOGIN_FIX)
    phone = fch == CH["phone"]
    peak = phone & np.isin(month, PHONE_PEAK_MONTHS) & (when < CALL_BACKS)
    busy = dep >= BUSY_WARD_DEPRIVATION
    # Slow closures, errors, drop-outs and "not eligible" answers are what residents rate down.
    p_good = sv["satisfaction"][fs] + 0.03 * digital - 0.03 * dep - 0.28 * late - 0.30 * login - 0.15 * peak
    p_good = np.clip(p_good - 0.30 * (outcome >= 2) - 0.25 * (outcome == 1), 0.05, 0.97)
    good = rng.random(n) < p_good
    poor = np.array([1, 2, 3])[_pick(rng, np.tile([0.35, 0.30, 0.35], (n, 1)))]
    rating = np.where(good, np.where(rng.random(n) < 0.55, 5, 4), poor)

    # Comments: a theme suited to the request, worded to match the rating.
    # Residents held up by a planted problem are the likeliest to say so.
    has_comment = rng.random(n) < np.where(login | peak, 0.8, COMMENT_RATE)
    c = np.flatnonzero(has_comment)
    cs, cch = fs[c], fch[c]
    theme_w = np.column_stack([
        1.0 + 2.5 * late[c],
        np.where(digital[c], 1.6, 0.3),
        np.where(cch == CH["phone"], 1.6, 0.2) * (1 + 3 * peak[c]) * (1 + busy[c])
        * np.where(phone[c] & (when[c] >= CALL_BACKS), 0.5, 1.0),
        np.where((cch == CH["phone"]) | (cch == CH["face_to_face"]), 1.0, 0.3),
        np.where(sv["bins"][cs], 2.5, 0.0),
        np.where(sv["housing"][cs], 2.5, 0.0),
        np.full(len(c), 1.0),
        np.where(login[c], 12.0, 0.0),
    ])
    theme = _pick(rng, theme_w)
    tone = np.where(rating[c] >= 4, 0, np.where(rating[c] <= 2, 1, 2))
    width = max(len(v) for t in COMMENTS.values() for v in t)
    table = np.full((len(THEMES), 3, width), "", dtype=object)
    sizes = np.zeros((len(THEMES), 3), dtype=np.int64)
    for i, th in enumerate(THEMES):
        for j, texts in enumerate(COMMENTS[th]):
            table[i, j, : len(texts)] = texts
            sizes[i, j] = len(texts)
    pick_text = (rng.random(len(c)) * sizes[theme, tone]).astype(np.int64)
    text = table[theme, tone, pick_text]
    pii = rng.random(len(c)) < PII_RATE
    if pii.any():
        sep = np.where(rng.random(int(pii.sum())) < 0.8, " ", "\n")
        added = np.char.add(np.char.add(text[pii].astype(str), sep), _fake_pii(rng, int(pii.sum())))
        text[pii] = added.astype(object)
    comment = np.full(n, None, dtype=object)
    comment[c] = text

    order = np.argsort(submitted, kind="stable")
    idx = idx[order]
    ward = np.array(borough.codes, dtype=object)[rows["w"][idx]]
    frame = pd.DataFrame(
        {
            "feedback_id": _numbered_ids("FB", np.arange(done + 1, done + n + 1), 8).to_numpy(zero_copy_only=False),
            "submitted_at": submitted[order].astype("datetime64[s]"),
            "rating": rating[order],
            "service": np.array([service.name for service in SERVICES], dtype=object)[fs[order]],
            "channel": np.array(CHANNELS, dtype=object)[fch[order]],
            "ward_code": np.where(rows["no_ward"][idx], None, ward),
            "comment": comment[order],
            "request_id": _numbered_ids("SR", first_id + idx, 9).to_numpy(zero_copy_only=False),
        }
    )
    cols = [c for c in FEEDBACK.names if c in frame.columns]
    frame[cols].to_csv(
        path, mode="a", header=done == 0 and not path.exists(), index=False, lineterminator="\n",
        quoting=csv.QUOTE_MINIMAL, date_format="%Y-%m-%d %H:%M:%S", encoding="utf-8",
    )
    return n


# --------------------------------------------------------------------------- staff adoption


def _adoption(rng: np.random.Generator) -> pa.Table:
    """Person × month × activity: who uses which digital tools, by role level and directorate."""
    m_count = len(MONTHS)
    d_idx, role = [], []
    for d, name in enumerate(DIRECTORATES):
        n = HEADCOUNT[name]
        managers = int(round(0.135 * (n - 6)))
        d_idx += [d] * n
        role += [0] + [1] * 5 + [2] * managers + [3] * (n - 6 - managers)
    d_idx, role = np.array(d_idx), np.array(role)
    n0 = len(role)
    start = np.zeros(n0, dtype=np.int64)
    end = np.full(n0, m_count)
    # Turnover: some leave during the three years and a replacement starts the month they go.
    leaves = rng.random(n0) < np.where(role == 0, 0.12, 0.22)
    end[leaves] = rng.integers(3, m_count, int(leaves.sum()))
    d_idx = np.concatenate([d_idx, d_idx[leaves]])
    role = np.concatenate([role, role[leaves]])
    start = np.concatenate([start, end[leaves]])
    end = np.concatenate([end, np.full(int(leaves.sum()), m_count)])
    n_people = len(role)
    person = rng.normal(0, 0.8, n_people)

    stance = np.array([STANCE[d] for d in DIRECTORATES])[d_idx]
    leader = role <= 1
    weight = np.where(leader, 1.0, np.where(role == 2, 0.4, 0.0))
    t = np.arange(m_count) / (m_count - 1)
    # Months × people: leading leaders pull further ahead; lagging ones stay behind throughout.
    lead = np.where(stance > 0, stance * (0.5 + 1.6 * t[:, None]), np.broadcast_to(stance * 1.1, (m_count, n_people)))
    role_eff = lead * weight + 0.25 * (role == 0) * (stance > 0)

    base = {"dashboard_viewed": -1.3, "e_signature": -0.7, "shared_documents": 0.2, "mobile_working": -0.6}
    trend = {"dashboard_viewed": 1.1, "e_signature": 1.3, "shared_documents": 1.0, "mobile_working": 0.6}
    mobile_dir = {EW: 0.9, HT: 0.7, HO: 0.6, RB: -0.6, ASC: 1.1, CHS: 0.6, PBC: 0.4, CSL: -0.3}
    dir_eff = 0.2 * np.sign(stance)
    values = np.zeros((m_count, n_people, len(ACTIVITIES)))
    for a, activity in enumerate(ACTIVITIES):
        if activity == "teams_meetings":
            base_rate = np.array([24.0, 20.0, 13.0, 5.0])[role]
            rate = base_rate * np.exp(0.35 * t[:, None] + 0.3 * person + 0.25 * role_eff)
            values[:, :, a] = rng.poisson(rate)
        elif activity == "digital_training_completed":
            hazard = np.where(leader, np.where(stance > 0, 0.14, np.where(stance < 0, 0.012, 0.05)), 0.038)
            hazard = np.where(role == 2, 0.5 * hazard + 0.5 * 0.038, hazard) * np.exp(0.3 * person)
            done = start + rng.exponential(1 / hazard) - np.where(start == 0, rng.uniform(0, 6, n_people), 0)
            values[:, :, a] = np.arange(m_count)[:, None] >= done[None, :]
        else:
            # Lagging leaders keep to their old ways: their own trend is damped.
            damp = np.where(leader & (stance < 0), 0.25, 1.0)
            logit = base[activity] + dir_eff + trend[activity] * t[:, None] * damp + person + role_eff
            if activity == "mobile_working":
                logit = logit + np.array([mobile_dir[d] for d in DIRECTORATES])[d_idx]
            if activity == "e_signature":
                logit = logit - 3.0 * (leader & (np.array(DIRECTORATES)[d_idx] == ASC))
            if activity == "dashboard_viewed":
                logit = logit - 1.0 * (leader & (np.array(DIRECTORATES)[d_idx] == HO))
            values[:, :, a] = rng.random(logit.shape) < 1 / (1 + np.exp(-logit))

    active = (np.arange(m_count)[:, None] >= start[None, :]) & (np.arange(m_count)[:, None] < end[None, :])
    mm, pp = np.nonzero(active)
    keys = _scramble(np.arange(n_people), 32, int(rng.integers(0, 2**32)))
    ids = _hex_ids("P", keys, 4)
    # Within a month, people in directorate then id order; six activity rows each.
    key = np.lexsort((keys[pp], d_idx[pp], mm))
    mm, pp = mm[key], pp[key]
    n_act = len(ACTIVITIES)
    rows_m, rows_p = np.repeat(mm, n_act), np.repeat(pp, n_act)
    rows_a = np.tile(np.arange(n_act), len(mm))
    columns = {
        "month": pa.array(MONTHS.astype("datetime64[D]")[rows_m], pa.date32()),
        "person_id": ids.take(pa.array(rows_p)),
        "role_level": pa.array(ROLE_LEVELS, pa.string()).take(pa.array(role[rows_p])),
        "directorate": pa.array(DIRECTORATES, pa.string()).take(pa.array(d_idx[rows_p])),
        "activity": pa.array(ACTIVITIES, pa.string()).take(pa.array(rows_a)),
        "value": pa.array(values[rows_m, rows_p, rows_a].astype(np.float64)),
    }
    return pa.table([columns[c] for c in ADOPTION.names], names=list(ADOPTION.names))


# --------------------------------------------------------------------------- KPIs and events

CHALLENGE_PHONE = "Residents can't get through on the phone"
CHALLENGE_BINS = "Missed bins are reported late"
CHALLENGE_REPAIRS = "Repairs take too long"
CHALLENGE_ONLINE = "Residents can't do it online"
CHALLENGE_SATISFACTION = "Residents aren't satisfied"
# The demo council's catalogue: its own challenges, targets and owners for the built-in KPIs (their
# names, units, polarity and queries come from pulse.registry), and two KPIs reported by hand.
# Proportions are stored as fractions (0.6 = 60%); unit "%" says to show them as percentages.
DEMO_TARGETS = {  # measure key: (challenge, target, owner)
    "first_contact_resolution": (CHALLENGE_PHONE, 0.30, "Contact Centre Manager"),
    "resolved_within_target": (CHALLENGE_BINS, 0.88, "Head of Waste and Street Services"),
    "repeat_contact": (CHALLENGE_BINS, 0.04, "Head of Waste and Street Services"),
    "median_days_to_resolve": (CHALLENGE_REPAIRS, 5.0, "Head of Housing Repairs"),
    "digital_takeup": (CHALLENGE_ONLINE, 0.60, "Director of Digital and Customer Services"),
    "completion_rate": (CHALLENGE_ONLINE, 0.92, "Head of Digital Services"),
    "cost_per_transaction": (CHALLENGE_ONLINE, 1.50, "Director of Finance"),
    "channel_shift_saving": (CHALLENGE_ONLINE, 0.40, "Director of Finance"),
    "user_satisfaction": (CHALLENGE_SATISFACTION, 0.80, "Head of Customer Experience"),
    "net_satisfaction": (CHALLENGE_SATISFACTION, 0.45, "Head of Customer Experience"),
}
MANUAL_KPIS = (
    ("calls_answered_60s", "Calls answered within 60 seconds", CHALLENGE_PHONE, "%", "higher", 0.80, "manual",
     "Head of Customer Services"),
    ("staff_digital_training", "Staff completing digital skills training", CHALLENGE_ONLINE, "%", "higher", 0.90,
     "manual", "Head of Organisational Development"),
)


def _kpis() -> pd.DataFrame:
    """The demo's kpis file: every built-in KPI of pulse.registry (a new one without a target here has none)."""
    from pulse import registry

    rows = [MANUAL_KPIS[0]]
    for measure in registry.BUILT_IN_KPIS:
        challenge, target, owner = DEMO_TARGETS.get(measure.key, (measure.challenge, None, None))
        rows.append((measure.key, measure.name, challenge, measure.unit, measure.polarity, target, measure.query,
                     owner))
    rows.append(MANUAL_KPIS[1])
    frame = pd.DataFrame(rows, columns=[c for c in KPIS.names if c != "frequency"])
    frame["frequency"] = "monthly"
    return frame[list(KPIS.names)]


# (id, name, challenge, unit, polarity, target, definition, owner) of every KPI in the demo's catalogue.
KPI_ROWS = tuple(tuple(row)[:8] for row in _kpis().itertuples(index=False))


def _kpi_values(rng: np.random.Generator, adoption: pa.Table) -> pd.DataFrame:
    """Monthly values of the hand-reported KPIs."""
    periods = MONTHS.astype("datetime64[D]").astype(str)
    t = np.arange(len(MONTHS)) / (len(MONTHS) - 1)
    month = MONTHS.astype(np.int64) % 12
    # Calls answered: better as calls fall with channel shift; worse at annual billing in March/April.
    calls = 0.64 + 0.14 * t - 0.05 * np.isin(month, [2, 3]) + rng.normal(0, 0.02, len(t))
    frame = adoption.filter(pc.equal(adoption["activity"], "digital_training_completed")).to_pandas()
    training = frame.groupby("month")["value"].mean().to_numpy()
    values = pd.DataFrame(
        {
            "kpi_id": ["calls_answered_60s"] * len(t) + ["staff_digital_training"] * len(t),
            "period": list(periods) * 2,
            "value": np.round(np.concatenate([calls, training]), 4),
        }
    )
    return values[list(KPI_VALUES.names)]


def _events(borough: Borough) -> pd.DataFrame:
    hub = borough.hub_ward
    frame = pd.DataFrame(
        [
            (str(CHARTER), "Customer service charter published", None, None),
            (str(BIN_FORM), "New online bin form launched", "Missed bin collection", None),
            (str(INCLUSION_HUB), f"Digital inclusion hub opened in {borough.names[hub]}", None,
             borough.codes[hub]),
            (str(REPAIRS_TRIAGE), "Repairs triage team introduced", "Housing repair", None),
            (str(COUNCIL_TAX_ACCOUNT), "Council tax online account launched", "Council tax enquiry", None),
        ],
        columns=list(EVENTS.names),
    )
    return frame


def _actions() -> pd.DataFrame:
    """You said, we did: what the council changed after reading the comments."""
    return pd.DataFrame(
        [
            ("2024-11-04", "Crews now go back the same day to any street reported missed before noon",
             "Bins missed", "Missed bin collection"),
            (str(CALL_BACKS), "Call-backs at busy times: leave your number instead of waiting on hold",
             "Long wait on the phone", None),
            (str(LOGIN_FIX), "Password reset emails fixed, and a 'Trouble signing in?' page added to the "
             "council tax account", "Couldn't log in / website problems", "Council tax enquiry"),
        ],
        columns=list(ACTIONS.names),
    )


LEGACY_FILE = "service_requests_legacy_crm.csv"
# Codes of the wards before the (fictional) 2022 boundary review: they match no boundary now.
OLD_WARD_CODES = ("E05800011", "E05800012", "E05800013")


def _legacy_export(borough: Borough) -> pd.DataFrame:
    """A small export from the council's old CRM, messy as real ones are, for the Data page to show.

    Windows-1252 with CRLF endings; 30 good rows keyed by pre-2022 ward codes (loaded, counted as
    unmatched) and 10 bad ones: an unknown channel, closures before creation, a date in the
    wrong format and ids the main export already holds (each rejected with its reason).
    """
    start = pd.Timestamp("2023-11-06 09:15")
    rows = []
    for i in range(30):
        created = start + pd.Timedelta(days=2 * i, hours=i % 7)
        rows.append({"request_id": f"CRM-{70001 + i}", "created_at": created.isoformat(sep=" "),
                     "closed_at": (created + pd.Timedelta(days=3)).isoformat(sep=" "),
                     "service": "Street cleaning", "directorate": "Environment & Waste",
                     "channel": ("Telephone", "Walk-in", "Web form")[i % 3],
                     "ward_code": OLD_WARD_CODES[i % 3], "status": "closed", "outcome": "Completed"})
    bad = [("CRM-80001", "2023-12-01 10:00", "", "Fax"),
           ("CRM-80002", "2023-12-02 10:00", "", "Fax"),
           ("CRM-80003", "2023-12-04 10:00", "2023-12-01 09:00", "Telephone"),
           ("CRM-80004", "2023-12-05 10:00", "2023-11-30 16:30", "Telephone"),
           ("CRM-80005", "05/12/2023 11:20", "", "Telephone"),
           ("CRM-80006", "06/12/2023 14:05", "", "Web form"),
           ("SR000000001", "2023-11-01 08:00", "", "Telephone"),
           ("SR000000002", "2023-11-01 08:05", "", "Telephone"),
           ("SR000000003", "2023-11-01 08:10", "", "Telephone"),
           ("CRM-70001", "2023-11-06 09:15", "", "Telephone")]
    for request_id, created, closed, channel in bad:
        rows.append({"request_id": request_id, "created_at": created, "closed_at": closed,
                     "service": "Street cleaning", "directorate": "Environment & Waste", "channel": channel,
                     "ward_code": borough.codes[0], "status": "open" if not closed else "closed",
                     "outcome": "Completed" if closed else ""})
    return pd.DataFrame(rows)


def _readme(seed: int, requests: int, summary: dict, borough: Borough) -> str:
    hub = borough.names[borough.hub_ward]
    rows = "\n".join(f"  {name:<18} {count:>12,}" for name, count in summary.items())
    return f"""{BOROUGH}
{'=' * len(BOROUGH)}

THIS DATA IS SYNTHETIC. Pulseford does not exist. Every ward, person, request and comment here
is invented. Generated by `{CREATED_BY}` (pulse.demo.generate) with seed {seed} and
{requests:,} service requests; the same seed and size always give the same files.
The data covers 2023-11-01 to 2026-10-31 inclusive.

Ward codes E05900001-E05900020 belong to no real ward. Personal details inside some feedback
comments are fake on purpose, for the redaction to catch: e-mail addresses at example.com and
example.org, Ofcom drama phone numbers (07700 900xxx, 020 7946 0xxx), "PF" postcodes (not a real
postcode area), invented names (after "My name is", "I am", "Regards," or a title), house numbers
on invented streets, NI numbers with HMRC's example prefix QQ, dates of birth, bank details, a
test card number and registrations with an age identifier not yet issued (PF79).

Files (canonical names and columns, so ingest needs no mapping):
{rows}

  wards.geojson            ward boundaries, WGS84; properties ward_code, ward_name
  ward_population.csv      ward_code, population, imd_decile (1 = most deprived)
  service_requests.parquet one row per request; timestamps are local time (Europe/London);
                           about 1% of rows have a map point but no ward_code
  feedback.csv             ratings 1-5, some with free-text comments
  adoption.parquet         person x month x activity. value is the number of Teams meetings
                           attended for teams_meetings; for digital_training_completed it is 1 once
                           the person has completed the training (and stays 1); for the other
                           activities it is 1 if the person used the tool that month, else 0.
  service_requests_legacy_crm.csv
                           a small, messy export from the old CRM (Windows-1252, CRLF): 30 rows
                           keyed by pre-2022 ward codes (loaded, shown as unmatched wards) and 10
                           deliberate errors (a "Fax" channel, closures before creation, dd/mm/yyyy
                           dates, ids already in the main export) that the Data page shows rejected
  kpis.csv, kpi_values.csv the KPI catalogue and the hand-reported KPIs' monthly values
                           (proportions as fractions: 0.6 = 60%)
  events.csv               dated events that the KPI charts annotate
  actions.csv              "you said, we did": what the council changed, about which theme

The story in the data:
- Digital take-up (online + app) rises steadily from about 40% to 60%, more slowly, and with more
  face-to-face contact, in the most deprived wards.
- Leaders lead digital adoption in Environment & Waste, Revenues & Benefits and Customer Services &
  Libraries (and less so in Highways & Transport), whose residents' take-up rises fastest; they lag
  in Housing, Adult Social Care (whose leaders hardly use e-signature) and Planning & Building
  Control, where take-up rises slowest. In Children's Services leaders and staff are level.
- 2024-09-02 New online bin form launched: the online share of the four bin services jumps about
  25 points (Environment & Waste as a whole about 15).
- 2025-06-02 Repairs triage team introduced: housing repairs' median days to resolve drop ~30%.
- 2026-01-12 Council tax online account launched: the online share of council tax enquiries, moving
  home and single person discount rises about 17 points.
- 2025-03-03 Digital inclusion hub opened in {hub}: a modest local rise in take-up there.
- 2024-04-15 Customer service charter published: no measurable effect.
- Comments: after the council tax online account launched (2026-01-12) residents of council tax
  services who used it online could not sign in until the password reset was fixed (2026-04-13):
  the theme "Couldn't log in / website problems" rises, and their satisfaction dips, in between.
  "Long wait on the phone" peaks every March and April (council tax bills), most in the most
  deprived wards, until call-backs at busy times came in (2025-10-06).
Nothing else steps: seasonality (garden waste in spring and summer, potholes in winter, council
tax in March and April) and noise aside, every other change is gradual.
"""

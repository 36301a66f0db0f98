"""The data contract: the canonical tables, their columns, types and allowed values."""

from __future__ import annotations

from dataclasses import dataclass, field

# Bumped whenever the database layout changes: an older database must be rebuilt by the ingest.
SCHEMA_VERSION = "10"

CHANNELS = ("online", "app", "phone", "face_to_face", "email", "post", "social", "other")
DIGITAL_CHANNELS = ("online", "app")
ROLE_LEVELS = ("executive", "senior_leader", "manager", "staff")
LEADER_LEVELS = ("executive", "senior_leader")
# Outcomes of a closed request; "not_eligible" counts as a completion (GOV.UK definition).
OUTCOMES = ("completed", "not_eligible", "error", "dropped_out", "other")
SUCCESSFUL_OUTCOMES = ("completed", "not_eligible")
# GovMetric's three bands, which may stand in for a 1–5 rating.
RATING_BANDS = ("good", "average", "poor")
POLARITIES = ("higher", "lower")
FREQUENCIES = ("weekly", "monthly", "quarterly")
# Sentiment labels stored with each comment (pulse.metrics.sentiment); feedback also gets a
# sentiment score and the table feedback_themes at load, neither of them read from the exports.
SENTIMENT_LABELS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Column:
    """One canonical column: its DuckDB type and whether every row must have it."""

    name: str
    type: str
    required: bool = False
    nullable: bool | None = None  # stored nullable although required (None: nullable unless required)

    @property
    def not_null(self) -> bool:
        """Whether the database column is declared not null."""
        return self.required if self.nullable is None else not self.nullable


@dataclass(frozen=True)
class Table:
    """One canonical table of the data contract."""

    name: str
    columns: tuple[Column, ...]
    id_column: str | None = None
    date_column: str | None = None
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Columns the ingest adds after the canonical ones (before the lineage columns).
    extra: tuple[Column, ...] = ()

    @property
    def stored(self) -> tuple[Column, ...]:
        """Every column of the database table, in order: canonical, added by the ingest, lineage."""
        return (*self.columns, *self.extra, *LINEAGE)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of every column, in order."""
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: str, required: bool = False, nullable: bool | None = None) -> Column:
    return Column(name, type_, required, nullable)


# Where each loaded row came from: the file (relative to the source folder) and its line.
LINEAGE = (Column("source_file", "VARCHAR"), Column("source_line", "BIGINT"))
# How a row got its ward (code, name, point, snapped, unmatched, outside…) and the ward as written.
WARD_MATCH = (Column("ward_match", "VARCHAR"), Column("ward_given", "VARCHAR"))


SERVICE_REQUESTS = Table(
    "service_requests",
    (
        _c("request_id", "VARCHAR", True),
        _c("created_at", "TIMESTAMP", True),
        _c("closed_at", "TIMESTAMP"),
        _c("due_at", "TIMESTAMP"),
        _c("service", "VARCHAR", True),
        _c("service_code", "VARCHAR"),
        _c("directorate", "VARCHAR"),
        _c("channel", "VARCHAR", True),
        _c("ward_code", "VARCHAR"),
        _c("latitude", "DOUBLE"),
        _c("longitude", "DOUBLE"),
        _c("status", "VARCHAR"),
        _c("outcome", "VARCHAR"),
        _c("resolved_first_contact", "BOOLEAN"),
        _c("customer_ref", "VARCHAR"),
    ),
    id_column="request_id",
    date_column="created_at",
    extra=WARD_MATCH,
    # Open311 GeoReport v2 names, recognised without any mapping.
    synonyms={
        "request_id": ("service_request_id",),
        "created_at": ("requested_datetime",),
        "service": ("service_name",),
        "channel": ("interface_used", "source"),
        "latitude": ("lat",),
        "longitude": ("long", "lon", "lng"),
        "service_code": ("lgsl",),
    },
)

FEEDBACK = Table(
    "feedback",
    (
        _c("feedback_id", "VARCHAR", True),
        _c("submitted_at", "TIMESTAMP", True),
        # A good/average/poor band may stand in for a 1–5 rating, so the column itself may be null.
        _c("rating", "INTEGER", True, nullable=True),
        _c("rating_band", "VARCHAR"),
        _c("service", "VARCHAR"),
        _c("channel", "VARCHAR"),
        _c("ward_code", "VARCHAR"),
        _c("latitude", "DOUBLE"),
        _c("longitude", "DOUBLE"),
        _c("comment", "VARCHAR"),
        _c("request_id", "VARCHAR"),
    ),
    id_column="feedback_id",
    date_column="submitted_at",
    extra=(Column("sentiment", "DOUBLE"), Column("sentiment_label", "VARCHAR"), *WARD_MATCH),
)

ADOPTION = Table(
    "adoption",
    (
        _c("month", "DATE", True),
        _c("person_id", "VARCHAR", True),
        _c("role_level", "VARCHAR", True),
        _c("directorate", "VARCHAR", True),
        _c("activity", "VARCHAR", True),
        _c("value", "DOUBLE", True),
    ),
    date_column="month",
)

WARD_POPULATION = Table(
    "ward_population",
    (
        _c("ward_code", "VARCHAR", True),
        _c("population", "BIGINT", True),
        _c("imd_decile", "INTEGER"),
    ),
    id_column="ward_code",
    extra=(Column("imd_method", "VARCHAR"),),  # how imd_decile was made: supplied, or derived by LSOA
)

KPIS = Table(
    "kpis",
    (
        _c("id", "VARCHAR", True),
        _c("name", "VARCHAR", True),
        _c("challenge", "VARCHAR"),
        _c("unit", "VARCHAR"),
        _c("polarity", "VARCHAR"),
        _c("target", "DOUBLE"),
        _c("definition", "VARCHAR"),
        _c("owner", "VARCHAR"),
        _c("frequency", "VARCHAR"),
    ),
    id_column="id",
)

KPI_VALUES = Table(
    "kpi_values",
    (
        _c("kpi_id", "VARCHAR", True),
        _c("period", "DATE", True),
        _c("value", "DOUBLE", True),
    ),
    date_column="period",
)

EVENTS = Table(
    "events",
    (
        _c("date", "DATE", True),
        _c("label", "VARCHAR", True),
        _c("service", "VARCHAR"),
        _c("ward_code", "VARCHAR"),
    ),
    date_column="date",
)

MATURITY = Table(
    "maturity",
    (
        _c("directorate", "VARCHAR", True),
        _c("assessed_on", "DATE", True),
        _c("framework", "VARCHAR"),
        _c("dimension", "VARCHAR"),
        _c("score", "DOUBLE", True),
        _c("max_score", "DOUBLE"),
    ),
    date_column="assessed_on",
)

# Optional "you said, we did": what the council changed, and when, about a theme or a service.
ACTIONS = Table(
    "actions",
    (
        _c("date", "DATE", True),
        _c("description", "VARCHAR", True),
        _c("theme", "VARCHAR"),
        _c("service", "VARCHAR"),
    ),
    date_column="date",
)

UNIT_COSTS = Table(
    "unit_costs",
    (
        _c("channel", "VARCHAR", True),
        _c("cost_gbp", "DOUBLE", True),
        _c("source", "VARCHAR"),
        _c("year", "INTEGER"),
    ),
    id_column="channel",
)

# Tabular tables in load order; wards (boundaries) are read by pulse.ingest.boundaries.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        SERVICE_REQUESTS,
        FEEDBACK,
        ADOPTION,
        WARD_POPULATION,
        KPIS,
        KPI_VALUES,
        EVENTS,
        UNIT_COSTS,
        MATURITY,
        ACTIONS,
    )
}

# Socitm Insight 2012 channel costs per transaction; app assumed equal to web.
DEFAULT_UNIT_COSTS = (
    ("face_to_face", 8.62, "Socitm Insight 2012", 2012),
    ("phone", 2.83, "Socitm Insight 2012", 2012),
    ("online", 0.15, "Socitm Insight 2012 (web)", 2012),
    ("app", 0.15, "Socitm Insight 2012 (web; app assumed equal to web)", 2012),
)

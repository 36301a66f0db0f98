"""One definition per measure: its name, unit, polarity, formula in words, query and what it needs.

The Overview tiles, the KPI catalogue's built-in KPIs, the ward map's metrics, the slides and
docs/metrics.md all read this table, so a measure is named, defined and worded once. Adding a
built-in KPI is one SQL file in queries/ plus one entry here (the demo and the docs follow from it:
`python -m pulse docs` rewrites docs/metrics.md, and a test says when it is out of date).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pulse.disclosure.published import Sentence, static

CHALLENGE_ONLINE = "Residents can do it online"
CHALLENGE_QUICK = "Requests are resolved quickly"
CHALLENGE_SATISFIED = "Residents are satisfied"


@dataclass(frozen=True)
class Needs:
    """What a measure needs in the loaded data, and what export would supply it."""

    table: str
    columns: tuple[str, ...] = ()
    # A measure fixed by the data itself says nothing: e.g. take-up when every request is digital.
    varies: str | None = None  # "digital_mix", "channel_costs", "rating_values": checked by pulse.metrics.readiness
    export: str = ""  # the plain-words fix: "an outcome column in the service requests export"


@dataclass(frozen=True)
class Measure:
    """A measure Council Pulse computes: how it reads, which way is better, and where it comes from."""

    key: str
    name: str
    unit: str  # "%", "£", "days", "score", "per 1,000" or "count"
    polarity: str | None  # "higher" or "lower" is better, or None
    formula: str  # the definition in plain words, shown on cards, tiles, slides and docs
    needs: Needs
    query: str | None = None  # queries/<query>.sql: one row per month (period, numerator, denominator, value)
    challenge: str | None = None  # the built-in KPI's challenge; None when it is not a built-in KPI
    ward_base: str | None = None  # on the ward map: the count it rests on (a metrics_by_ward column)
    base_label: str = "requests"  # what that count counts, plural
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def definition(self) -> Sentence:
        """The formula as words for the screen (written here, not figures from the data)."""
        return static(self.formula)

    @property
    def higher_is_better(self) -> bool | None:
        """True when higher is better, False when lower is, None when neither."""
        return {"higher": True, "lower": False}.get(self.polarity or "")


REQUESTS = Needs("service_requests", ("channel",), export="a service requests export")
CLOSED = Needs("service_requests", ("closed_at",), export="a closed date (closed_at) in the service requests export")

MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure("digital_takeup", "Digital take-up", "%", "higher",
            "Requests made online or through the app ÷ all requests (GOV.UK).",
            Needs("service_requests", ("channel",), varies="digital_mix",
                  export="requests through both digital and assisted channels (phone, face to face, post…)"),
            query="kpi_digital_takeup_by_month", challenge=CHALLENGE_ONLINE,
            ward_base="requests"),
    Measure("completion_rate", "Completion rate", "%", "higher",
            "Closed requests with a successful outcome (completed, or told they are not eligible) ÷ closed "
            "requests, by the month they were closed (GOV.UK).",
            Needs("service_requests", ("closed_at", "outcome"),
                  export="a closed date and an outcome column (completed, not eligible, error, dropped out)"),
            query="kpi_completion_rate_by_month", challenge=CHALLENGE_ONLINE),
    Measure("cost_per_transaction", "Cost per transaction", "£", "lower",
            "Σ requests × unit cost of their channel ÷ requests, over channels with a unit cost (GOV.UK).",
            Needs("service_requests", ("channel",), varies="channel_costs",
                  export="requests through channels with different unit costs"),
            query="kpi_cost_per_transaction_by_month", challenge=CHALLENGE_ONLINE),
    Measure("channel_shift_saving", "Channel-shift saving per request", "£", "higher",
            "What requests would have cost at the baseline period's channel mix − what they cost at the actual "
            "mix, per request.",
            Needs("service_requests", ("channel",), varies="channel_costs",
                  export="requests through channels with different unit costs"),
            query="kpi_channel_shift_saving_by_month", challenge=CHALLENGE_ONLINE),
    Measure("resolved_within_target", "Requests resolved within target", "%", "higher",
            "Requests closed by their due date ÷ closed requests that had a due date, by the month they were "
            "closed.",
            Needs("service_requests", ("closed_at", "due_at"), export="a closed date and a due date (due_at)"),
            query="kpi_resolved_within_target_by_month", challenge=CHALLENGE_QUICK, ward_base="closed_with_due",
            base_label="closed requests with a target"),
    Measure("median_days_to_resolve", "Median days to resolve", "days", "lower",
            "The median number of days from a request being made to its being closed, by the month it was "
            "closed.",
            CLOSED, query="kpi_median_days_to_resolve_by_month", challenge=CHALLENGE_QUICK,
            ward_base="closed_requests", base_label="closed requests"),
    Measure("first_contact_resolution", "Resolved at first contact", "%", "higher",
            "Requests resolved at the first contact ÷ requests where first-contact resolution was recorded.",
            Needs("service_requests", ("resolved_first_contact",),
                  export="a resolved-at-first-contact column (yes/no)"),
            query="kpi_first_contact_resolution_by_month", challenge=CHALLENGE_QUICK),
    Measure("repeat_contact", "Repeat contacts within 7 days", "%", "lower",
            "Requests made within 7 days of an earlier request from the same customer about the same service "
            "÷ requests with a customer reference.",
            Needs("service_requests", ("customer_ref",), export="a pseudonymised customer reference"),
            query="kpi_repeat_contact_by_month", challenge=CHALLENGE_QUICK),
    Measure("user_satisfaction", "User satisfaction", "%", "higher",
            "Ratings of 4 or 5 ÷ all ratings on the 5-point scale (GOV.UK).",
            Needs("feedback", ("rating",), varies="rating_values", export="a feedback export with ratings"),
            query="kpi_user_satisfaction_by_month", challenge=CHALLENGE_SATISFIED,
            ward_base="ratings", base_label="ratings"),
    Measure("net_satisfaction", "Net satisfaction", "score", "higher",
            "(Good − poor) ÷ all rated responses, from −1 to +1 (GovMetric); 4–5 is good, 3 average, 1–2 poor.",
            Needs("feedback", ("rating",), varies="rating_values", export="a feedback export with ratings"),
            query="kpi_net_satisfaction_by_month", challenge=CHALLENGE_SATISFIED),
    # Ward map measures that are not KPIs.
    Measure("requests_per_1000", "Requests per 1,000 residents", "per 1,000", None,
            "Requests made in the period per 1,000 residents of the ward.",
            Needs("ward_population", ("population",), export="ward populations (ward_population)"),
            ward_base="requests"),
    Measure("requests", "Requests", "count", None, "Requests made in the period.", REQUESTS,
            ward_base="requests"),
    Measure("feedback", "Feedback responses", "count", None,
            "Survey responses and comments given in the period.",
            Needs("feedback", (), export="a feedback export"), ward_base="feedback", base_label="responses"),
)}

# The ward map shows these, in this order; its metric key for satisfaction is the KPI's.
WARD_ORDER = ("requests_per_1000", "requests", "digital_takeup", "user_satisfaction", "median_days_to_resolve",
              "resolved_within_target", "feedback")
HEADLINES = tuple(MEASURES[k] for k in ("digital_takeup", "completion_rate", "user_satisfaction",
                                        "cost_per_transaction"))
BUILT_IN_KPIS = tuple(m for m in MEASURES.values() if m.challenge)


def measure(key: str) -> Measure:
    """A measure by key; a KeyError names the known ones."""
    try:
        return MEASURES[key]
    except KeyError:
        raise KeyError(f"no measure {key!r}; known: {', '.join(MEASURES)}") from None


def by_query(query: str) -> Measure | None:
    """The built-in measure a query computes, if any."""
    return next((m for m in MEASURES.values() if m.query == query), None)

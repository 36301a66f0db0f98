"""The Streamlit pieces every page shares. Whatever shows a figure takes only published types
(pulse.disclosure): a Figure, a Sentence, a Table, a Chart or a Deck. Plain strings are allowed only
when they hold no digits, so a number cannot reach the screen without passing the gate.
"""

from __future__ import annotations

import html

import streamlit as st

from pulse import db
from pulse.charts import trend_line
from pulse.disclosure import COUNT, Chart, Deck, Figure, Policy, Sentence, Table
from pulse.filters import Filters, Options
from pulse.pages import policy_for

FILTERS_KEY = "pulse_filters"
OPTIONS_KEY = "pulse_options"


def filters() -> Filters:
    """The shared filters the sidebar set for this run."""
    return st.session_state.get(FILTERS_KEY, Filters())


def options() -> Options:
    """The values the shared filters can take."""
    return st.session_state.get(OPTIONS_KEY, Options())


def policy() -> Policy:
    """The disclosure policy of this view."""
    return policy_for(filters())


def words(text: Sentence | str | None) -> str:
    """Text that may be shown: a Sentence, or a plain string with no digits in it."""
    if text is None:
        return ""
    if isinstance(text, Sentence):
        return str(text)
    if isinstance(text, str) and not any(c.isdigit() for c in text):
        return text
    raise TypeError(f"{text!r} holds numbers that were not published: build it with pulse.disclosure.sentence()")


def markdown(text: Sentence | str) -> None:
    """A paragraph (Markdown)."""
    st.markdown(words(text))


def caption(text: Sentence | str | None) -> None:
    """A small note under a figure; nothing when there is none."""
    if text:
        st.caption(words(text))


def heading(text: Sentence | str, level: int = 3) -> None:
    """A heading that states its message (level 2 to 5)."""
    st.markdown(f"{'#' * level} {words(text)}")


def callout(text: Sentence | str, kind: str = "info", icon: str | None = None) -> None:
    """An info, success, warning or error box."""
    getattr(st, kind)(words(text), icon=icon)


def bullets(lines: list[Sentence | str]) -> None:
    """A bulleted list of sentences."""
    if lines:
        st.markdown("\n".join(f"- {words(line)}" for line in lines))


def metric(label: str, value: Figure, delta: Figure | None = None, help: Sentence | str | None = None,
           trend: Table | None = None, trend_column: str = "value", delta_color: str = "off",
           delta_description: Sentence | str | None = None) -> None:
    """A headline figure with its change and an optional sparkline, from published figures only."""
    if not isinstance(value, Figure) or (delta is not None and not isinstance(delta, Figure)):
        raise TypeError("metric takes published Figures")
    if trend is not None and not isinstance(trend, Table):
        raise TypeError("a metric's trend must be a published Table")
    shown = dict(delta=delta.text if delta is not None and delta.shown else None, delta_color=delta_color,
                 help=words(help) or None, delta_description=words(delta_description) or None)
    if trend is None or trend.empty or trend.frame[trend_column].isna().all():
        st.metric(words(label), value.text, border=True, **shown)
        return
    # The trend is our own chart, not st.metric's: that one offers screen readers an unlabelled graphic.
    with st.container(border=True):
        st.metric(words(label), value.text, **shown)
        st.vega_lite_chart(trend_line(trend, trend_column, words(label)), width="stretch", height=52)


def table(data: Table, **kwargs) -> object:
    """A published table (st.dataframe); keyword arguments go to Streamlit."""
    if not isinstance(data, Table):
        raise TypeError("table takes a published Table")
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "–")
    frame = data.frame
    for column, kind in data.kinds.items():
        if kind == COUNT:
            # Whole numbers and "[c]" in one column: written out, so the table reads as published.
            frame[column] = frame[column].map(
                lambda v: v if isinstance(v, str) or v is None else f"{int(v):,}").astype("string")
    return st.dataframe(frame, **kwargs)


def chart(drawn: Chart | None, data_label: str = "The figures behind this chart", **kwargs) -> None:
    """A published chart, with its figures as a table underneath for anyone who cannot see it."""
    if drawn is None:
        return
    if not isinstance(drawn, Chart):
        raise TypeError("chart takes a published Chart")
    kwargs.setdefault("width", "stretch")
    # The chart's sentence is its text alternative: screen readers read the picture as that.
    if isinstance(drawn.spec, dict):
        # A builder's own name for the chart ("adoption-gap") stays in usermeta, where tests find it.
        named = {"usermeta": {"name": drawn.spec["description"]}} if drawn.spec.get("description") else {}
        # As the Altair theme does (pulse.charts): marks hidden from screen readers, the chart read as one picture.
        config = drawn.spec.get("config", {})
        quiet = {"config": {**config, "mark": {**config.get("mark", {}), "aria": False}}}
        st.vega_lite_chart({**drawn.spec, **named, **quiet, "description": str(drawn.alt_text)}, **kwargs)
    else:
        st.altair_chart(drawn.spec.properties(description=str(drawn.alt_text)), **kwargs)
    if drawn.data is not None and not drawn.data.empty:
        with st.expander(data_label):
            caption(drawn.alt_text)
            table(drawn.data)


def deck(drawn: Deck, **kwargs) -> object:
    """A published pydeck map; returns Streamlit's selection event when asked for one."""
    if not isinstance(drawn, Deck):
        raise TypeError("deck takes a published Deck")
    return st.pydeck_chart(drawn.deck, **kwargs)


def legend(title: Sentence | str, entries: Table) -> None:
    """A map's legend from a published table: colour (a hex code), label and note (text), hatched (a hidden class)."""
    if not isinstance(entries, Table):
        raise TypeError("legend takes a published Table")
    # The table's text columns were published with it: they are drawn as they are, escaped.
    rows = []
    for row in entries.frame.itertuples(index=False):
        hatch = ("background-image:repeating-linear-gradient(45deg,rgba(60,60,60,.75) 0 1px,transparent 1px 5px);"
                 if row.hatched else "")
        rows.append(f"<div style='display:flex;align-items:center;gap:8px;margin:4px 0'><span style='display:"
                    f"inline-block;width:22px;height:16px;border:1px solid #888;background:{html.escape(row.colour)};"
                    f"{hatch}'></span><span style='flex:1'>{html.escape(str(row.label))}</span><span style='color:"
                    f"#505a5f'>{html.escape(str(row.note))}</span></div>")
    st.html(f"<div style='font-size:14px;line-height:1.3'><div style='font-weight:600;margin-bottom:6px'>"
            f"{html.escape(words(title))}</div>{''.join(rows)}</div>")


def download(data: Table, label: str, file_name: str, key: str) -> None:
    """A CSV download of exactly the published table."""
    if not isinstance(data, Table):
        raise TypeError("download takes a published Table")
    st.download_button(words(label), data.frame.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key)


def icon_note(svg: str, text: Sentence | str) -> None:
    """A drawn icon (inline SVG with its own label for screen readers) followed by a short note."""
    st.markdown(
        f'<div style="display:flex;align-items:center;gap:0.4rem;font-size:0.85rem;color:#505a5f">'
        f"{svg}<span>{html.escape(words(text))}</span></div>",
        unsafe_allow_html=True,
    )


def show_sql(*names: str) -> None:
    """An expander with the SQL behind what the page shows, for analysts."""
    with st.expander("The SQL behind these figures"):
        for name in dict.fromkeys(names):
            st.caption(f"queries/{name}.sql")
            st.code(db.query_text(name), language="sql")


# ------------------------------------------------------------------ until every page is built on pulse.pages

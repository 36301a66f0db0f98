"""Council Pulse: the frame every page runs in — page config, shared filters in the URL, navigation."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pulse import db, ui, warmup
from pulse.config import db_path
from pulse.disclosure import forced_public
from pulse.filters import URL_KEYS, Filters, from_query_params, period_note
from pulse.frame import load_options, schema_version
from pulse.present import controls, screen
from pulse.schema import SCHEMA_VERSION

st.set_page_config(page_title="Council Pulse", page_icon="📊", layout="wide")


# Once per server process: heavy imports and the default views computed in the background, again after
# every ingest, so that no reader waits for them (server.py starts it before the first reader).
warmup.start()

try:
    stamp = db.database_stamp(db_path())
except db.NoDatabase:
    st.title("Council Pulse")
    st.error(f"No data loaded yet: there is no database at `{db_path()}`.")
    st.markdown("Run `make run` to build the demo borough, or load your own exports with "
                "`python -m pulse ingest YOUR_FOLDER` (see the README).")
    st.stop()
if schema_version() != SCHEMA_VERSION:
    st.title("Council Pulse")
    st.error(f"The database at `{db_path()}` was built by an older version of Council Pulse.")
    st.markdown("Load the exports again to rebuild it: `python -m pulse ingest YOUR_FOLDER`, "
                "or `make run` again for the demo borough. Nothing in your exports is changed.")
    st.stop()
options, synthetic = load_options(stamp)

# The URL is read once per session; after that the widgets hold the state and write the URL.
if "filters_from_url" not in st.session_state:
    url = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    initial, notes = from_query_params(url, options)
    st.session_state["filters_from_url"] = notes
    st.session_state["f_dates"] = (initial.date_from, initial.date_to)
    st.session_state["f_directorates"] = list(initial.directorates)
    st.session_state["f_services"] = list(initial.services)
    st.session_state["f_channels"] = list(initial.channels)
    st.session_state["f_wards"] = list(initial.wards)
    st.session_state["f_public"] = initial.public_safe
# A page switch made by code (into and out of presentation mode) keeps only values the script has set,
# not values held by widgets alone: set them, so the filters survive the switch.
for key in ("f_dates", "f_directorates", "f_services", "f_channels", "f_wards", "f_public"):
    st.session_state[key] = st.session_state[key]
controls.init()
# A deployment for a public screen forces public-safe figures on, whatever a link or a reader says.
forced = forced_public()
if forced:
    st.session_state["f_public"] = True

with st.sidebar:
    st.markdown("### Filters")
    if options.min_date is None:  # nothing dated is loaded (only ward boundaries, say): no range to choose
        dates = ()
        st.caption("No dated records are loaded, so there is no date range to choose.")
    else:
        dates = st.date_input("Date range", key="f_dates", min_value=options.min_date, max_value=options.max_date,
                              format="DD/MM/YYYY")
    chosen = tuple(st.session_state["f_dates"])
    if chosen == (options.start, options.end) and (options.default_from or options.default_to):
        st.caption(period_note(options))
        st.button(f"Show everything, {options.min_date:%b %Y} to {options.max_date:%-d %b %Y}", key="f_all_dates",
                  on_click=lambda: st.session_state.update(f_dates=(options.min_date, options.max_date)))
    directorates = st.multiselect("Directorate", options.directorates, key="f_directorates",
                                  placeholder="All directorates")
    services = st.multiselect("Service", options.services, key="f_services", placeholder="All services")
    channels = st.multiselect("Channel", options.channels, key="f_channels", placeholder="All channels",
                              format_func=lambda c: c.replace("_", " "))
    wards = st.multiselect("Ward", list(options.wards), key="f_wards", placeholder="All wards",
                           format_func=lambda code: options.wards.get(code, code))
    public_safe = st.toggle("Public-safe figures", key="f_public", disabled=forced,
                            help="For publication: every count is rounded to the nearest 5, as well as counts "
                                 "under 10 being hidden (ONS small-number practice)."
                                 + (" Forced on for this deployment (PULSE_PUBLIC_SAFE=1)." if forced else ""))
    if forced:
        st.caption("Public-safe figures are forced on for this whole deployment (PULSE_PUBLIC_SAFE=1).")
    for note in st.session_state["filters_from_url"]:
        st.warning(note, icon=":material/link_off:")
    if synthetic:
        st.info("Synthetic demo borough: every figure is made up.", icon=":material/science:")

date_from, date_to = (tuple(dates) + (None, None))[:2] if isinstance(dates, (tuple, list)) else (dates, None)
current = Filters(
    date_from=date_from if isinstance(date_from, date) else options.start,
    date_to=date_to if isinstance(date_to, date) else options.end,
    directorates=tuple(directorates), services=tuple(services), channels=tuple(channels), wards=tuple(wards),
    public_safe=public_safe,
)
st.session_state[ui.FILTERS_KEY] = current
st.session_state[ui.OPTIONS_KEY] = options
st.session_state["synthetic"] = synthetic
# Keep the URL in step so a copied link reproduces this view, on whichever page.
# Only the filter keys are the frame's; pages keep their own (e.g. ?ward_profile=).
wanted = current.to_query_params(options)
for key in URL_KEYS:
    value = wanted.get(key)
    if value is None and key in st.query_params:
        del st.query_params[key]
    elif value is not None and st.query_params.get_all(key) != (value if isinstance(value, list) else [value]):
        st.query_params[key] = value

pages = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/leadership.py", title="Leadership adoption", icon=":material/groups:", url_path="leadership"),
    st.Page("views/kpis.py", title="KPI trends", icon=":material/query_stats:", url_path="kpis"),
    st.Page("views/wards.py", title="Ward maps", icon=":material/map:", url_path="wards"),
    st.Page("views/voice.py", title="Resident voice", icon=":material/forum:", url_path="voice"),
    st.Page("views/data.py", title="Data", icon=":material/database:", url_path="data"),
]
# Presentation mode is a page of its own, reached by the sidebar's toggle or present=1 in a link.
presentation = st.Page("views/present.py", title="Presentation", icon=":material/slideshow:", url_path="present",
                       visibility="hidden")
page = st.navigation(pages + [presentation], position="hidden" if st.session_state["p_present"] else "sidebar")
by_path = {p.url_path: p for p in pages}
controls.go_to_opened(by_path)
presenting = controls.route(page, by_path, presentation)
with st.sidebar:
    controls.sidebar(page, current, options)
controls.keep_in_link(presenting)
screen.theme(presenting, st.session_state["p_contrast"])
page.run()

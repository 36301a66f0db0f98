"""Presentation mode on screen: one slide at a time in large type, without the sidebar or toolbars,
moved with buttons or the ← and → keys, optionally on a timer. Figures are drawn through pulse.ui,
so only what the disclosure gate published reaches the screen."""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from pulse import ui
from pulse.disclosure import Chart, Sentence, reference, sentence, static
from pulse.present.slide import PUBLIC_SAFE, Slide

SLIDE, TIMER_SHOWN = "p_slide", "p_shown_at"
# Everything but the slide goes: sidebar, its toggle, the header with its menu and toolbar.
PRESENTING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
[data-testid="stMainBlockContainer"] {padding: 1.2rem 3rem 1rem !important; max-width: 100% !important;}
.st-key-slide h1 {font-size: clamp(2.2rem, 3.4vw, 3.8rem) !important; line-height: 1.15 !important;}
.st-key-slide p, .st-key-slide li {font-size: clamp(1.1rem, 1.4vw, 1.55rem) !important;}
.st-key-slide [data-testid="stMetricValue"] p {font-size: clamp(2.4rem, 3.6vw, 4rem) !important; font-weight: 700;}
.st-key-slide [data-testid="stMetricDelta"] p {font-size: clamp(1rem, 1.3vw, 1.4rem) !important;}
.st-key-slide [data-testid="stMetricLabel"] p {font-size: clamp(1rem, 1.2vw, 1.3rem) !important;}
.st-key-slide [data-testid="stCaptionContainer"] p {font-size: clamp(0.95rem, 1.05vw, 1.2rem) !important;}
.pulse-badge {display: inline-block; background: #0b0c0c; color: #ffffff; font-weight: 700; padding: 0.2rem 0.7rem;
              letter-spacing: 0.04em; text-transform: uppercase; font-size: 1rem;}
</style>"""
# A setting, not a mode: black on white, underlined links, thick borders and GOV.UK's yellow focus ring.
HIGH_CONTRAST_CSS = """<style>
[data-testid="stApp"], [data-testid="stSidebar"] {color: #000000 !important; background: #ffffff !important;}
[data-testid="stSidebar"] {border-right: 2px solid #000000 !important;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="stMetricLabel"] p,
[data-testid="stMetricDelta"], [data-testid="stWidgetLabel"] p {color: #000000 !important; opacity: 1 !important;}
a {color: #003078 !important; text-decoration: underline !important;}
[data-testid="stApp"] * {border-color: #000000 !important;}
*:focus-visible {outline: 3px solid #0b0c0c !important; box-shadow: 0 0 0 6px #ffdd00 !important;}
</style>"""


def theme(presenting: bool, high_contrast: bool) -> None:
    """Apply presentation mode's layout and the high-contrast theme (styles only, nothing shown)."""
    css = (PRESENTING_CSS if presenting else "") + (HIGH_CONTRAST_CSS if high_contrast else "")
    if css:
        st.html(css)


def draw(slide: Slide, index: int, count: int | None) -> None:
    """One slide: badge, title, body, the view and data-through date, definitions and speaker notes.
    count: how many slides there are; None while the later ones are still being built."""
    with st.container(key="slide"):
        top_left, top_right = st.columns([4, 1], vertical_alignment="center")
        with top_left:
            if slide.public_safe:
                st.markdown(f'<span class="pulse-badge">{PUBLIC_SAFE}</span>', unsafe_allow_html=True)
        with top_right:
            ui.markdown(slide_number(index, count))
        st.title(ui.words(slide.title), anchor=False)
        _body(slide)
        ui.caption(slide.footer)
        if slide.definitions:
            with st.expander("Definitions"):
                ui.bullets([sentence("**{name}**: {words}", name=name, words=words)
                            for name, words in slide.definitions])
        with st.expander("Speaker notes"):
            ui.bullets(list(slide.notes))


def slide_number(index: int, count: int | None) -> Sentence:
    """'Slide 3 of 13', or 'Slide 1 of … (preparing)' while the count is not known yet."""
    if count is None:
        return sentence("Slide {n} of … (preparing)", n=reference(index + 1))
    return sentence("Slide {n} of {total}", n=reference(index + 1), total=reference(count))


def _body(slide: Slide) -> None:
    if slide.empty is not None:
        ui.callout(slide.empty)
        return
    if slide.chart is not None and slide.tiles:
        left, right = st.columns([3, 1], gap="large")
        with left:
            ui.chart(large(slide.chart), data_label="The figures behind this chart, as a table")
        with right:
            _tiles(slide, stacked=True)
            ui.bullets(list(slide.points))
        return
    if slide.chart is not None:
        ui.chart(large(slide.chart), data_label="The figures behind this chart, as a table")
        ui.caption(slide.caption)
    if slide.deck is not None and slide.legend is not None:
        left, right = st.columns([3, 1], gap="large")
        with left:
            ui.deck(slide.deck, height=520)
        with right:
            ui.legend(slide.legend_title or "", slide.legend)
        ui.caption(slide.caption)
    elif slide.deck is not None:
        ui.deck(slide.deck, height=520)
        ui.caption(slide.caption)
    if slide.tiles:
        _tiles(slide, stacked=False)
    if slide.table is not None:
        ui.table(slide.table)
    if slide.points and slide.chart is None:
        if slide.points_title:
            ui.heading(slide.points_title, level=2)
        ui.bullets(list(slide.points))


def large(chart: Chart) -> Chart:
    """The chart in type that reads across a room, and taller (the figures are the same)."""
    if not hasattr(chart.spec, "configure_axis"):
        return chart
    spec = (chart.spec.properties(height=430).configure_axis(labelFontSize=15, titleFontSize=15)
            .configure_legend(labelFontSize=15, titleFontSize=15).configure_title(fontSize=19, subtitleFontSize=14))
    return replace(chart, spec=spec)


def _tiles(slide: Slide, stacked: bool) -> None:
    columns = [st.container() for _ in slide.tiles] if stacked else st.columns(len(slide.tiles))
    for column, tile in zip(columns, slide.tiles):
        with column:
            ui.metric(tile.label, tile.value, tile.change)
            ui.caption(tile.note)


def controls(index: int, count: int | None, every: int, move, leave, pause) -> None:
    """Previous, next (also ← and →), pause the timer, and leave (also Esc); every control is a button.
    count: None while the later slides are being built (Next is never the end then)."""
    back, position, forward, timer, out = st.columns([1.2, 2.2, 1.2, 1.4, 1.6], vertical_alignment="center")
    back.button("Previous", icon=":material/arrow_back:", shortcut="Left", on_click=move, args=(-1,),
                disabled=index == 0 and not every, key="p_back", width="stretch")
    with position:
        ui.caption(static("← and → move between slides · Esc leaves presentation mode"))
    forward.button("Next", icon=":material/arrow_forward:", shortcut="Right", on_click=move, args=(1,),
                   disabled=count is not None and index >= count - 1 and not every, key="p_forward", width="stretch")
    if every:
        timer.button("Stop the timer", icon=":material/pause:", on_click=pause, key="p_pause", width="stretch")
    out.button("Leave presentation", icon=":material/close:", shortcut="Escape", on_click=leave, key="p_leave",
               width="stretch")


def timer(every: int, count: int | None) -> None:
    """On a timer, the next slide every `every` seconds (after the last, the first again). count: None
    while the later slides are being built."""
    if not every or (count is not None and count < 2):
        return

    @st.fragment(run_every=every)
    def tick() -> None:
        # A fragment also runs with the page: only a run `every` seconds after the slide appeared moves on.
        if time.monotonic() - st.session_state.get(TIMER_SHOWN, time.monotonic()) >= every - 0.5:
            following = st.session_state.get(SLIDE, 0) + 1
            st.session_state[SLIDE] = following % count if count else following
            st.rerun(scope="app")

    tick()


def preparing(sequence) -> None:
    """While the later slides are being built: look twice a second, and draw the page again once they
    are, so the count and the Next button's end appear without anyone asking."""

    @st.fragment(run_every=0.5)
    def check() -> None:
        if sequence.complete:
            st.rerun(scope="app")

    check()


def shown(index: int) -> None:
    """Note when the slide on screen changed, for the timer."""
    if st.session_state.get("p_drawn") != index:
        st.session_state["p_drawn"] = index
        st.session_state[TIMER_SHOWN] = time.monotonic()

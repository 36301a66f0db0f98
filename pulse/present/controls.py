"""Presenting, saving and sharing, in the frame's sidebar; presentation mode's state, held in the link.

URL keys, besides the shared filters: present=1 (presentation mode), slide=N (from 1), every=S
(seconds per slide on a timer), kpi=ID (repeated: the KPI slides), views=NAME (repeated: saved views
added to the slides) and contrast=high (the high-contrast theme). Like the filters, they are read
from the link once per session; after that the widgets hold them and write them back.
"""

from __future__ import annotations

import os
from dataclasses import replace

import streamlit as st

from pulse import saved_views
from pulse.filters import Filters, Options
from pulse.pages import kpis as kpi_page
from pulse.present import pack, registry
from pulse.present.registry import Part

KEYS = ("present", "slide", "every", "kpi", "views", "contrast")
CONTRAST_ENV = "PULSE_HIGH_CONTRAST"  # a deployment's default for the high-contrast theme
MAX_EVERY = 3600
PRESENT, SLIDE, EVERY, KPIS, VIEWS, CONTRAST = "p_present", "p_slide", "p_every", "p_kpis", "p_views", "p_contrast"


def init() -> None:
    """Read presentation mode's keys from the link, once per session, before any widget is drawn."""
    if "present_from_url" in st.session_state:
        # Set by the script, so that they survive a page switch made by code (the frame does the same).
        for key in (PRESENT, EVERY, KPIS, VIEWS, CONTRAST):
            st.session_state[key] = st.session_state[key]
        return
    url = st.query_params
    st.session_state["present_from_url"] = True
    st.session_state[PRESENT] = url.get("present") == "1"
    st.session_state[SLIDE] = max(_whole(url.get("slide"), 1) - 1, 0)
    st.session_state[EVERY] = min(max(_whole(url.get("every"), 0), 0), MAX_EVERY)
    st.session_state[KPIS] = list(dict.fromkeys(url.get_all("kpi")))
    st.session_state[VIEWS] = list(dict.fromkeys(url.get_all("views")))
    st.session_state[CONTRAST] = url.get("contrast") == "high" or os.environ.get(CONTRAST_ENV, "") == "1"


def _whole(text: str | None, default: int) -> int:
    try:
        return int(str(text))
    except ValueError:
        return default


def route(page, pages: dict, presentation) -> bool:
    """Go to presentation mode or back from it; whether this run is presenting."""
    presenting = page.url_path == presentation.url_path
    if presenting and not st.session_state[PRESENT]:
        if st.session_state.pop("p_left", False):
            st.switch_page(pages.get(st.session_state.get("p_from", ""), next(iter(pages.values()))))
        st.session_state[PRESENT] = True  # opened from a link to the presentation itself
    elif not presenting and st.session_state[PRESENT]:
        st.session_state["p_from"] = page.url_path
        st.switch_page(presentation)
    return presenting


def keep_in_link(presenting: bool) -> None:
    """Write presentation mode's keys into the link, so a copied link opens the same presentation."""
    state = st.session_state
    wanted = {
        "present": "1" if presenting else None,
        "slide": str(state[SLIDE] + 1) if presenting and state[SLIDE] else None,
        "every": str(state[EVERY]) if state[EVERY] else None,
        "kpi": list(state[KPIS]) or None,
        "views": list(state[VIEWS]) or None,
        "contrast": "high" if state[CONTRAST] else None,
    }
    for key, value in wanted.items():
        if value is None:
            st.query_params.pop(key, None)
        elif st.query_params.get_all(key) != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value


def parts(current: Filters, options: Options) -> tuple[Part, ...]:
    """The slide sequence: this view's standard slides, then each chosen saved view's.

    In public-safe mode every part is public-safe: a presentation is as safe as its least safe slide.
    """
    chosen = tuple(st.session_state.get(KPIS) or ()) or None
    out = [Part(current, registry.STANDARD, chosen)]
    for name in st.session_state.get(VIEWS) or ():
        saved = saved_views.load(name)
        if saved is None:
            continue
        view, _ = saved.opened(options)
        view = replace(view, public_safe=view.public_safe or current.public_safe)
        out.append(Part(view, registry.pages_for(saved.page), saved.kpis, saved.name))
    return tuple(out)


def sidebar(page, current: Filters, options: Options) -> None:
    """The sidebar's presenting controls: presentation mode, slides, board pack, saved views."""
    st.markdown("### Present and share")
    st.toggle("Presentation mode", key=PRESENT,
              help="Full screen, one message per slide, in large type. ← and → move between slides and Esc "
                   "leaves. The link holds it (present=1) with the filters.")
    st.toggle("High contrast", key=CONTRAST, help="Black on white with thick borders and focus rings, on every "
                                                  "page and slide. The link holds it (contrast=high).")
    catalogue = {k.id: k.name for k in kpi_page.catalogue()}
    names = [v.name for v in saved_views.listed()]
    _drop_unknown(KPIS, catalogue, "KPI")
    _drop_unknown(VIEWS, names, "saved view")
    with st.expander("Slides and board pack", icon=":material/slideshow:"):
        st.multiselect("KPI slides", list(catalogue), key=KPIS, format_func=lambda k: catalogue.get(k, k),
                       placeholder="KPIs showing a real change", help="One slide per KPI, with its XmR chart. "
                       "Left empty: the KPIs whose latest month shows special-cause variation.")
        st.multiselect("Saved views after this view's slides", names, key=VIEWS,
                       placeholder="No saved views added")
        st.number_input("Next slide every … seconds (0: by hand)", min_value=0, max_value=MAX_EVERY, step=5,
                        key=EVERY, help="For a screen at an event: the slides go round on their own.")
        sequence = parts(current, options)
        for suffix, label in ((".pptx", "Board pack (PowerPoint)"), (".pdf", "Board pack (PDF)")):
            st.download_button(label, pack.Request(sequence, options, suffix), file_name=pack.file_name(suffix),
                               mime=pack.FORMATS[suffix], on_click="ignore", icon=":material/download:",
                               key=f"p_pack{suffix}", width="stretch")
    with st.expander("Saved views", icon=":material/bookmark:"):
        _saved_views(page, names)


def _drop_unknown(key: str, known, what: str) -> None:
    """Choices from a link that are not (or no longer) there are dropped, with a note."""
    unknown = [v for v in st.session_state.get(key) or () if v not in known]
    if unknown:
        st.session_state[key] = [v for v in st.session_state[key] if v in known]
        st.warning(f"Ignored {what}(s) in the link that do not exist: {', '.join(unknown)[:80]}.",
                   icon=":material/link_off:")


def _saved_views(page, names: list[str]) -> None:
    st.text_input("Name this view", key="p_view_name", max_chars=saved_views.MAX_NAME,
                  placeholder="e.g. Bins in Ashby Green")
    st.button("Save this view", on_click=_save, args=(page.url_path,), key="p_save", icon=":material/bookmark_add:")
    if "p_saved_note" in st.session_state:
        st.caption(st.session_state.pop("p_saved_note"))
    if not names:
        st.caption("No saved views yet. A saved view keeps the filters, the page and the KPI slides.")
        return
    chosen = st.selectbox("Saved views", names, key="p_view_pick")
    saved = saved_views.load(chosen) if chosen else None
    if saved is None:
        return
    st.caption(f"Link to share: `{saved.link}` (after this app's address)")
    left, right = st.columns(2)
    left.button("Open", on_click=_open, args=(saved.name,), key="p_view_open", width="stretch")
    right.button("Delete", on_click=_delete, args=(saved.name,), key="p_view_delete", width="stretch")


def _save(page: str) -> None:
    query = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    try:
        view = saved_views.save(st.session_state.get("p_view_name", ""), page, query)
    except saved_views.ViewError as problem:
        st.session_state["p_saved_note"] = str(problem)
        return
    st.session_state["p_saved_note"] = f"Saved “{view.name}”."
    st.session_state["p_view_pick"] = view.name


def _open(name: str) -> None:
    """Open a saved view: its link is read again as if it had just been followed."""
    saved = saved_views.load(name)
    if saved is None:
        return
    st.query_params.clear()
    st.query_params.update(saved.params)
    for key in ("filters_from_url", "present_from_url"):
        st.session_state.pop(key, None)
    st.session_state["p_goto"] = saved.page


def _delete(name: str) -> None:
    saved_views.delete(name)
    st.session_state.pop("p_view_pick", None)
    if name in (st.session_state.get(VIEWS) or []):
        st.session_state[VIEWS] = [v for v in st.session_state[VIEWS] if v != name]


def go_to_opened(pages: dict) -> None:
    """After Open: switch to the saved view's page (the frame has already read its link)."""
    target = st.session_state.pop("p_goto", None)
    if target is not None and target in pages:
        st.switch_page(pages[target], query_params={k: st.query_params.get_all(k) for k in st.query_params})


def wanted() -> int:
    """The slide asked for (from 0), by the link or the buttons, before the sequence is known to hold it."""
    return max(st.session_state.get(SLIDE, 0), 0)


def slide_index(count: int, complete: bool) -> int:
    """The slide on screen, kept within the slides there are (a link may name one past the end)."""
    st.session_state["p_count"], st.session_state["p_complete"] = count, complete
    index = min(wanted(), max(count - 1, 0))
    st.session_state[SLIDE] = index
    return index


def move(step: int) -> None:
    """Previous or next slide; on a timer the sequence goes round, by hand it stops at either end. While
    the sequence is still being built its end is not known: the next run waits for the slide."""
    count = max(st.session_state.get("p_count", 1), 1)
    index = st.session_state.get(SLIDE, 0) + step
    if not st.session_state.get("p_complete", True):
        st.session_state[SLIDE] = max(index, 0)
    elif st.session_state.get(EVERY):
        st.session_state[SLIDE] = index % count
    else:
        st.session_state[SLIDE] = min(max(index, 0), count - 1)


def leave() -> None:
    """Leave presentation mode, back to the page it was entered from."""
    st.session_state[PRESENT] = False
    st.session_state["p_left"] = True


def pause() -> None:
    """Stop the timer: the slides move by hand from now on."""
    st.session_state[EVERY] = 0


def every() -> int:
    """Seconds per slide on the timer; 0 when the slides move by hand."""
    return int(st.session_state.get(EVERY) or 0)

"""A page's own remembered choices, in one place: what a reader picked (kept in the link), and widgets
that must be drawn afresh to clear a selection (a clicked map or table row)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import streamlit as st

_GENERATIONS = "pulse_generations"


def fresh_key(name: str) -> str:
    """The key of a widget that renew() can replace with a new, empty one."""
    return f"{name}_{st.session_state.setdefault(_GENERATIONS, {}).get(name, 0)}"


def renew(name: str) -> str:
    """Replace the widget: Streamlit forgets a selection only when the widget is drawn under a new key."""
    generations = st.session_state.setdefault(_GENERATIONS, {})
    generations[name] = generations.get(name, 0) + 1
    return fresh_key(name)


def choice(key: str, allowed: Collection[str], default: str | None = None) -> str | None:
    """A reader's choice: this session's, else the link's (?key=…), else the default; never a value not allowed."""
    for candidate in (st.session_state.get(key), st.query_params.get(key), default):
        if candidate in allowed:
            return candidate
    return None


def keep(key: str, value: str | None) -> None:
    """Remember a choice for this session and put it in the link, so a copied link opens on it."""
    st.session_state[key] = value
    if value is None:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def current(key: str, default: object = None) -> object:
    """A widget's value this session (its key), else the default: for what must be known before it is drawn."""
    return st.session_state.get(key, default)


def follow(widget: str, key: str, convert: Callable[[object], str | None] = lambda value: value
           ) -> Callable[[], None]:
    """An on_change callback that keeps a widget's new value as a choice, and in the link."""
    return lambda: keep(key, convert(st.session_state[widget]))


def pick_row(name: str, table: str, ids: Sequence[str], key: str) -> Callable[[], None]:
    """An on_select callback for a table: keep the ticked row's id as a choice (in the link), then draw every
    table of `name` afresh, so no tick is left behind."""

    def picked() -> None:
        rows = st.session_state[table].selection.rows
        if rows:
            keep(key, ids[rows[0]])
            renew(name)

    return picked


def event(name: str) -> object:
    """What the widget drawn under fresh_key(name) last reported (a map's selection), or None."""
    return st.session_state.get(fresh_key(name))

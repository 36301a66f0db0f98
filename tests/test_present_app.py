"""Presentation mode in the frame (AppTest): entered from a link or the toggle, moved slide by slide,
left back to the page; public-safe written on every slide, and forced on for a whole deployment."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pulse.present import screen
from tests.conftest import ROOT

PRESENTING = screen.PRESENTING_CSS


def link(at: AppTest, key: str) -> list[str] | None:
    """One key of the app's link, as a list of values (None when absent)."""
    if key not in at.query_params:
        return None
    value = at.query_params[key]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def styles(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def test_a_link_with_present_opens_the_slides_without_the_sidebar(app):
    at = app(present="1", kpi="digital_takeup")
    assert at.title[0].value == "Digital take-up, user satisfaction and cost per transaction are improving; none is " \
                                "getting worse"
    assert PRESENTING in styles(at)  # sidebar, header and toolbar hidden
    assert link(at, "present") == ["1"] and link(at, "kpi") == ["digital_takeup"]
    # The Overview's two, the KPI's, then two each from the ward map, leadership and resident voice.
    assert [m.value for m in at.markdown if m.value.startswith("Slide ")] == ["Slide 1 of 9"]


def test_next_and_previous_move_one_slide_and_the_link_follows(app):
    at = app(present="1", kpi="digital_takeup")
    titles = [at.title[0].value]
    for _ in range(2):
        at.button(key="p_forward").click().run()
        titles.append(at.title[0].value)
        assert not at.exception
    assert titles[1].startswith("Online and app carried") and titles[2].startswith("Digital take-up is improving")
    assert link(at, "slide") == ["3"] and not at.button(key="p_forward").disabled
    at.button(key="p_back").click().run()
    assert at.title[0].value == titles[1] and link(at, "slide") == ["2"]
    at = app(present="1", kpi="digital_takeup", slide="9")
    assert at.title[0].value.startswith("Residents write most about") and at.button(key="p_forward").disabled


def test_slide_one_is_shown_while_the_others_are_built_and_next_waits_for_its_slide(demo_db, monkeypatch):
    import threading

    from pulse.present import registry

    monkeypatch.setenv("PULSE_DB", str(demo_db))
    monkeypatch.delenv("PULSE_PUBLIC_SAFE", raising=False)
    registry._sequence.clear()  # not the sequence another test built
    release, real = threading.Event(), registry.BUILDERS["kpis"]
    monkeypatch.setitem(registry.BUILDERS, "kpis", lambda view, context: release.wait(60) and real(view, context))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(present="1", kpi="digital_takeup")
    at.run()
    assert [m.value for m in at.markdown if m.value.startswith("Slide ")] == ["Slide 1 of … (preparing)"]
    assert not at.button(key="p_forward").disabled and not at.exception
    at.button(key="p_forward").click().run()  # slide 2 is the Overview's too: already built
    assert at.title[0].value.startswith("Online and app carried")
    threading.Timer(0.3, release.set).start()
    at.button(key="p_forward").click().run()  # slide 3 is the KPI's: this run waits for it
    assert at.title[0].value.startswith("Digital take-up is improving") and link(at, "slide") == ["3"]
    registry.wait_for_all()
    at.run()  # as the page's own check does once every slide is built
    assert [m.value for m in at.markdown if m.value.startswith("Slide ")] == ["Slide 3 of 9"]


def test_leaving_goes_back_to_the_page(app):
    at = app(present="1")
    at.button(key="p_leave").click().run()
    assert not at.exception
    assert at.title[0].value == "How are we doing?"
    assert "present" not in at.query_params and PRESENTING not in styles(at)


def test_a_link_can_open_on_a_slide_and_run_on_a_timer(app):
    at = app(present="1", slide="2", every="30")
    assert at.title[0].value.startswith("Online and app carried")
    assert link(at, "every") == ["30"] and at.button(key="p_pause")
    at.button(key="p_pause").click().run()
    assert "every" not in at.query_params


def test_public_safe_is_written_on_every_slide(app):
    at = app(present="1", public="1", kpi="digital_takeup")
    for number in range(9):
        assert not at.exception, (number, at.exception)
        assert any("Public-safe figures" in m.value for m in at.markdown), number
        assert all("Public-safe figures" in c.value for c in at.caption if c.value.startswith("1 Nov 2023"))
        if number < 8:
            at.button(key="p_forward").click().run()


def test_a_deployment_can_force_public_safe_figures(app, monkeypatch):
    monkeypatch.setenv("PULSE_PUBLIC_SAFE", "1")
    at = app(public="0")
    toggle = at.sidebar.toggle(key="f_public")
    assert toggle.value is True and toggle.proto.disabled
    assert "Forced on for this deployment (PULSE_PUBLIC_SAFE=1)." in toggle.help
    assert any("forced on for this whole deployment" in c.value for c in at.sidebar.caption)
    assert at.session_state["pulse_filters"].public_safe is True
    at = app(present="1")
    assert any("Public-safe figures" in m.value for m in at.markdown)


def test_the_presentation_page_opened_directly_is_presentation_mode(app):
    at = app("views/present.py")
    assert at.session_state["p_present"] is True and PRESENTING in styles(at)
    assert at.title[0].value.startswith("Digital take-up")


def test_unknown_kpis_and_views_in_a_link_are_dropped_with_a_note(app):
    at = app(kpi=["digital_takeup", "no_such_kpi"], views="Gone")
    notes = [w.value for w in at.sidebar.warning]
    assert "Ignored KPI(s) in the link that do not exist: no_such_kpi." in notes
    assert "Ignored saved view(s) in the link that do not exist: Gone." in notes
    assert link(at, "kpi") == ["digital_takeup"] and "views" not in at.query_params


def test_high_contrast_is_a_setting_held_in_the_link(app, monkeypatch):
    assert screen.HIGH_CONTRAST_CSS not in styles(app())
    at = app(contrast="high")
    assert screen.HIGH_CONTRAST_CSS in styles(at) and link(at, "contrast") == ["high"]
    monkeypatch.setenv("PULSE_HIGH_CONTRAST", "1")
    assert screen.HIGH_CONTRAST_CSS in styles(app())


def test_saving_and_opening_a_view(app, demo_db, tmp_path, monkeypatch):
    import shutil

    from pulse import saved_views

    db = tmp_path / "pulse.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("PULSE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["channel"] = "phone"
    at.run()
    at.text_input(key="p_view_name").input("Phone only")
    at.button(key="p_save").click().run()
    assert [(v.name, v.page, v.query) for v in saved_views.listed(db)] == [("Phone only", "", (("channel", ("phone",)),))]
    assert "Saved “Phone only”." in [c.value for c in at.sidebar.caption]
    saved_views.save("Phone only", "data", {"channel": ["phone", "fax"]}, db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.button(key="p_view_open").click().run()
    assert not at.exception
    assert at.session_state["pulse_filters"].channels == ("phone",)
    assert "Ignored channel value(s) in the link that are not in the data: “fax”." in [
        w.value for w in at.sidebar.warning]

"""The Leadership adoption page's slides, from the page's own results (pulse.pages.leadership.build).

Up to two slides, one message each: where leaders are ahead of their own staff, over the page's
heatmap of leaders by directorate and activity; then whether it shows in services, over the page's
first scatter of directorates. Every figure is the page's published one: the page has already taken
out every staff group under the minimum, and no slide shows a headcount.
"""

from __future__ import annotations

from pulse.disclosure import Chart, Sentence, Table, reference, sentence, static
from pulse.filters import Filters
from pulse.pages import leadership as leadership_page
from pulse.pages import leadership_words as words
from pulse.pages import policy_for
from pulse.present.overview import data_through, untitled
from pulse.present.slide import Context, Slide, describe

PAGE = "leadership"
POINTS = 5  # the page's headline sentences on a slide without the heatmap
WHAT_LEADERS_DO = "Leaders and their own staff, in the latest month"
USED = static("The share of a group's people active on a tool in the month (every activity but training); "
              "a gap is leaders' adoption minus their own staff's, in percentage points.")


def slides(view: Filters, context: Context) -> list[Slide]:
    """The Leadership page's slides for one view: leaders against their staff, then whether it shows in services."""
    page = leadership_page.build(view)
    common = dict(page=PAGE, filters=describe(view, context.options), public_safe=policy_for(view).public_safe,
                  data_through=data_through(view), definitions=(("Adoption", USED),))
    if page.empty is not None:
        return [Slide(key=PAGE, title=static("No staff adoption figures to show for this view"), empty=page.empty,
                      notes=(page.empty, page.privacy), **common)]
    out = [leaders_slide(page, common)]
    scatter = next((s for s in page.scatters if s.chart is not None), None)
    if scatter is not None:
        out.append(services_slide(page, scatter, common))
    return out


def leaders_slide(page: leadership_page.Leadership, common: dict) -> Slide:
    """Where leaders are ahead of their own staff and where behind: over the leaders' heatmap inside the council;
    in public-safe figures in the page's sentences only, since the heatmap carries each group's headcount."""
    title = ahead_title(page.card)
    notes = tuple(n for n in (title, page.story, *page.bullets, page.used_note, page.privacy, page.left_out) if n)
    if common["public_safe"] or page.heat_leaders is None:
        points = tuple(p for p in (page.story, *page.bullets) if p)[:POINTS]
        return Slide(key=PAGE, title=title, points=points, points_title=WHAT_LEADERS_DO, notes=notes, **common)
    return Slide(key=PAGE, title=title, chart=page.heat_leaders, caption=page.story, notes=notes, **common)


def ahead_title(card: Table | None) -> Sentence:
    """'Leaders are ahead of their own staff in 4 of 8 directorates and behind them in 4', the page's own test
    (words.LEVEL_BAND points either way) applied to its scorecard's published gaps."""
    frame = None if card is None else card.frame
    gaps = frame["gap_pts"].dropna() if frame is not None else []
    if not len(gaps):
        return static("Leaders' use of digital tools, directorate by directorate")
    ahead, behind = int((gaps >= words.LEVEL_BAND).sum()), int((gaps <= -words.LEVEL_BAND).sum())
    n = reference(len(gaps))
    if not ahead and not behind:
        return static("Leaders' use of digital tools is level with their own staff's in every directorate shown")
    text = sentence("Leaders are ahead of their own staff in {k} of {n} directorates", k=reference(ahead), n=n)
    if behind:
        text = sentence("{text} and behind them in {m}", text=text, m=reference(behind))
    return text


def services_slide(page: leadership_page.Leadership, scatter: leadership_page.Scatter, common: dict) -> Slide:
    """Whether directorates whose leaders use digital tools more have better services: the page's scatter."""
    title = scatter_title(scatter.chart)
    notes = (title,) + tuple(s.caption for s in page.scatters) + tuple(
        n for n in (page.services_note, page.services_missing) if n)
    return Slide(key=f"{PAGE}:services", title=title, chart=untitled(scatter.chart), caption=scatter.caption,
                 notes=notes, **common)


def scatter_title(chart: Chart) -> Sentence:
    """The scatter's own title and subtitle as one sentence: 'Digital take-up: higher where leaders use …'."""
    title = chart.spec.get("title") if isinstance(chart.spec, dict) else getattr(chart.spec, "title", None)
    if isinstance(title, dict):
        text, subtitle = str(title.get("text", "")), title.get("subtitle") or ""
        subtitle = " ".join(subtitle) if isinstance(subtitle, list) else str(subtitle)
        return Sentence(f"{text}: {subtitle[:1].lower()}{subtitle[1:]}" if subtitle else text)
    return Sentence(str(title or "Leaders' adoption and the services' outcomes"))

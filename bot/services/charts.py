"""Charts as PNG images, in the reader's language: registrations and attendance by sex per
administration, satisfaction per training, fill rate over time.

Arabic: matplotlib (>= 3.11) lays text out with libraqm — HarfBuzz joins the letters, FriBidi
orders the line — so labels are given to it as they are. Shaping them beforehand with
arabic-reshaper and python-bidi, as older matplotlib needed, now makes it reverse them a second
time ("يناير" drawn "رياني"); tests/test_charts.py checks the glyphs it lays out. The font is
IBM Plex Sans Arabic from its PyPI package (Latin and Arabic in one family, the attestations'
font too). matplotlib is imported on first use only: a bot that never draws does not pay for it.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from functools import cache

from bot.i18n import Translator
from bot.services import vocabulary as vocab
from bot.services.indicators import MIN_RESPONDENTS, IndicatorsService
from bot.services.reference import ReferenceData
from bot.storage.indicators import Scope

CHARTS = ("sex", "satisfaction", "fill")
MAX_BARS = 15  # trainings on the satisfaction chart (the most answered), so bars stay readable


@cache
def _font() -> str:
    """Register the packaged font with matplotlib once; its family name."""
    from fontpkg_ibm_plex_sans_arabic import FAMILY, ROOT
    from matplotlib import font_manager, rcParams

    for weight in ("Regular", "Bold"):
        font_manager.fontManager.addfont(str(ROOT / "files" / f"IBMPlexSansArabic-{weight}.ttf"))
    rcParams["font.family"] = [FAMILY, "DejaVu Sans"]
    rcParams["text.parse_math"] = False  # a "$" in a training's title is text, not TeX
    return FAMILY


@dataclass
class Chart:
    """A rendered chart: the PNG, its title, and every text drawn on it (as given to the plot)."""

    png: bytes
    title: str
    texts: list[str] = field(default_factory=list)


def _figure(rows: int):
    from matplotlib.figure import Figure

    _font()
    # The object API, never pyplot: charts are drawn in worker threads, pyplot is global state.
    # Constrained layout keeps long labels and the legend (below the plot) inside the image.
    return Figure(figsize=(10, max(4.0, 1.6 + 0.45 * rows)), dpi=100, layout="constrained")


def _png(fig, title: str) -> Chart:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    out = io.BytesIO()
    canvas.print_png(out)
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    return Chart(out.getvalue(), title, texts)


def _clip(text: str, limit: int = 45) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def draw_sex(t: Translator, rows: list[tuple[str, int, int, int, int]]) -> Chart:
    """rows: (administration, women registered, men registered, women attended, men attended)."""
    title = t._("Registrations and attendance by sex, per administration")
    fig = _figure(len(rows) * 2)
    ax = fig.add_subplot()
    labels = [_clip(name) for name, *_ in rows]
    ys = range(len(rows))
    series = [(t._("Registered: women"), 1, -0.3, "#c2185b"), (t._("Registered: men"), 2, -0.1, "#1565c0"),
              (t._("Attended: women"), 3, 0.1, "#f48fb1"), (t._("Attended: men"), 4, 0.3, "#90caf9")]
    for name, column, offset, colour in series:
        ax.barh([y + offset for y in ys], [r[column] for r in rows], height=0.2, color=colour,
                label=name)
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.set_xlabel(t._("People"))
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncols=4)
    return _png(fig, title)


def draw_satisfaction(t: Translator, rows: list[tuple[str, dict[int, int]]]) -> Chart:
    """rows: (training, {score: respondents}); shares of each score, one bar per training."""
    title = t._("Overall satisfaction per training (hot evaluations)")
    fig = _figure(len(rows))
    ax = fig.add_subplot()
    colours = {1: "#d32f2f", 2: "#f57c00", 3: "#fbc02d", 4: "#7cb342", 5: "#2e7d32"}
    lefts = [0.0] * len(rows)
    for score in range(1, 6):
        shares = [100 * counts.get(score, 0) / sum(counts.values()) for _, counts in rows]
        ax.barh(range(len(rows)), shares, left=lefts, color=colours[score],
                label=t._("{score}/5", score=t.number(score)))
        lefts = [a + b for a, b in zip(lefts, shares, strict=True)]
    ax.set_yticks(range(len(rows)), [_clip(name) for name, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(t._("Share of respondents (%)"))
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncols=5)
    return _png(fig, title)


def draw_fill(t: Translator, rows: list[tuple[int, int, float]]) -> Chart:
    """rows: (year, month, fill rate in %)."""
    title = t._("Fill rate of sessions over time")
    fig = _figure(6)
    ax = fig.add_subplot()
    labels = [t.month(y, m) for y, m, _ in rows]
    ax.plot(range(len(rows)), [r[2] for r in rows], marker="o", color="#1565c0")
    step = max(1, len(rows) // 12)
    ax.set_xticks(range(0, len(rows), step), labels[::step], rotation=45, ha="right")
    ax.set_ylim(0, max([100.0, *(r[2] for r in rows)]) * 1.05)
    ax.set_ylabel(t._("Seats taken (%)"))
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return _png(fig, title)


def draw_profile(t: Translator, title: str, areas: list[tuple[str, float | None, float]]) -> Chart:
    """A digital profile: rows (area's name, the previous assessment's mean or None, this one's),
    one bar per area on the 1-5 scale, the previous one as a paler bar beside it."""
    fig = _figure(len(areas) + 2)
    ax = fig.add_subplot()
    ys = range(len(areas))
    earlier = [(y, before) for y, (_, before, _) in zip(ys, areas, strict=True) if before is not None]
    if earlier:
        ax.barh([y + 0.2 for y, _ in earlier], [b for _, b in earlier], height=0.35, color="#b0bec5",
                label=t._("Previous self-assessment"))
    shift = -0.2 if earlier else 0.0
    ax.barh([y + shift for y in ys], [after for *_, after in areas], height=0.35 if earlier else 0.6,
            color="#1565c0", label=t._("This self-assessment"))
    ax.set_yticks(list(ys), [_clip(name) for name, *_ in areas])
    ax.invert_yaxis()
    ax.set_xlim(0, 5)
    ax.set_xticks(range(6), [t.number(n) for n in range(6)])
    ax.set_xlabel(t._("Level (1: I cannot do this, 5: I can guide others)"))
    ax.set_title(title)
    if earlier:
        fig.legend(loc="outside lower center", ncols=2)
    return _png(fig, title)


class ChartService:
    def __init__(self, indicators: IndicatorsService, reference: ReferenceData) -> None:
        self.indicators = indicators
        self.reference = reference

    async def render(self, kind: str, scope: Scope, t: Translator) -> Chart | None:
        """Query, then draw in a worker thread; None when there is nothing to draw."""
        names = vocab.Namer(t, self.reference, await self.indicators.training_titles())
        if kind == "sex":
            groups = await self.indicators.breakdown_by_sex(scope, "administration")
            per: dict[object, list[int]] = {}
            for key, sex, g in groups:
                counts = per.setdefault(key, [0, 0, 0, 0])
                if sex in ("F", "M"):
                    i = 0 if sex == "F" else 1
                    counts[i] += g.registrations
                    counts[i + 2] += g.attended
            data = [(names("administration", k), c[0], c[1], c[2], c[3]) for k, c in per.items()]
            return await asyncio.to_thread(draw_sex, t, data) if data else None
        if kind == "satisfaction":
            per_training: dict[object, dict[int, int]] = {}
            for r in await self.indicators.satisfaction_distribution(scope):
                per_training.setdefault(r["k"], {})[r["score"]] = r["n"]
            shown = sorted(((names("training", k), c) for k, c in per_training.items()
                            if sum(c.values()) >= MIN_RESPONDENTS), key=lambda x: -sum(x[1].values()))
            return await asyncio.to_thread(draw_satisfaction, t, shown[:MAX_BARS]) if shown else None
        months = [(int(r["month"][:4]), int(r["month"][5:7]), 100 * r["taken"] / r["capacity"])
                  for r in await self.indicators.fill_by_month(scope) if r["capacity"]]
        return await asyncio.to_thread(draw_fill, t, months) if months else None

"""Charts as PNG images drawn with the sans CJK face the documents use (``fonts.report_fonts``).

Pure matplotlib objects (no pyplot): no global backend. The font is set per chart
through ``rc_context``, which changes matplotlib's one global ``rcParams`` for a while:
two web workers drawing at the same time would restore each other's settings mid-chart,
so drawing holds a lock (a chart takes tens of milliseconds).
"""

from __future__ import annotations

import contextlib
import functools
import io
import threading
from collections.abc import Iterator, Sequence

from junheng.reports import numbers as fmt
from junheng.reports.fonts import report_fonts

GOOD = "#2e7d32"
BAD = "#c62828"
PREVIOUS = "#9e9e9e"
CURRENT = "#1565c0"
LIMIT = "#d84315"
DPI = 200
_DRAWING = threading.Lock()


@functools.cache
def _register_font(path: str, index: int, family: str) -> str:
    """Register the report's sans face with matplotlib; its family name as matplotlib reads it."""
    from matplotlib import font_manager

    # addfont reads every face of a .ttc; the face is then found by file and index.
    font_manager.fontManager.addfont(path)
    for entry in font_manager.fontManager.ttflist:
        if entry.fname == path and getattr(entry, "index", 0) == index:
            return entry.name
    return family


def _family() -> str:
    face = report_fonts().sans
    return _register_font(str(face.path), face.index, face.family)


def _rc() -> dict[str, object]:
    return {
        "font.family": [_family()],
        "font.size": 9,
        "axes.unicode_minus": False,  # the CJK font's hyphen stands in for U+2212
        "axes.spines.top": False,
        "axes.spines.right": False,
        "savefig.dpi": DPI,
    }


@contextlib.contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    with _DRAWING, matplotlib.rc_context(_rc()):
        yield


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", pad_inches=0.08)
    return buf.getvalue()


def cv_bars(labels: Sequence[str], values: Sequence[float | None], limit: float,
            title: str) -> bytes:
    """Horizontal bars of the CVs of one stage against the limit line."""
    with _style():
        return _png(cv_bars_figure(labels, values, limit, title))


def cv_bars_figure(labels: Sequence[str], values: Sequence[float | None], limit: float, title: str):
    """The figure of :func:`cv_bars`; its numbers printed as the tables print them
    (reports.numbers: half-up, the configured places), so a bar never reads 0.180 beside
    a table's 0.181."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.2, 0.42 * len(labels) + 1.0))
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    shown = [v if v is not None else 0.0 for v in values]
    colors = [BAD if v is not None and v > limit else GOOD for v in values]
    ax.barh(ys, shown, color=colors, height=0.6)
    ax.axvline(limit, color=LIMIT, linestyle="--", linewidth=1.2)
    top = max([limit, *shown]) * 1.18
    ax.text(limit, len(labels) - 0.45, f"限值 {fmt.limit(limit)}", color=LIMIT, ha="center", va="bottom",
            zorder=3, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})  # the line passes behind
    for y, v in zip(ys, values, strict=True):
        ax.text((v or 0) + top * 0.01, y, "无法计算" if v is None else fmt.cv(v), va="center")
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, top)
    ax.set_ylim(-0.6, len(labels) - 0.1)
    ax.set_xlabel("差异系数")
    ax.set_title(title)
    return fig


def stacked_counts(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int], str]],
                   title: str, ylabel: str = "学校数") -> bytes:
    """Vertical stacked bars, e.g. schools passing / failing per stage."""
    with _style():
        return _png(stacked_counts_figure(categories, series, title, ylabel))


def stacked_counts_figure(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int], str]],
                          title: str, ylabel: str = "学校数"):
    """The figure of :func:`stacked_counts`. A count is written inside its segment in white;
    a segment too thin to hold it (1 failing school of 27) has it beside the bar in the
    segment's colour, never white across the neighbouring segment and the background."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(max(3.6, 1.1 * len(categories) + 2.2), 3.0))
    ax = fig.add_subplot()
    xs = list(range(len(categories)))
    bottom = [0] * len(categories)
    tallest = max((sum(c) for c in zip(*(counts for _, counts, _ in series), strict=True)), default=0)
    for name, counts, color in series:
        bars = ax.bar(xs, counts, bottom=bottom, color=color, width=0.55, label=name)
        for rect, n, b in zip(bars, counts, bottom, strict=True):
            if not n:
                continue
            if n >= 0.08 * tallest:
                ax.text(rect.get_x() + rect.get_width() / 2, b + n / 2, str(n),
                        ha="center", va="center", color="white", fontsize=9)
            else:
                ax.text(rect.get_x() + rect.get_width() + 0.04, b + n / 2, str(n),
                        ha="left", va="center", color=color, fontsize=9)
        bottom = [b + n for b, n in zip(bottom, counts, strict=True)]
    ax.set_xticks(xs, categories)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def compare_bars(labels: Sequence[str], previous: Sequence[float | None],
                 current: Sequence[float | None], names: tuple[str, str], title: str,
                 ylabel: str = "", limit: float | None = None, digits: int = 2) -> bytes:
    """Last year against this year, one pair of bars per label."""
    with _style():
        return _png(compare_bars_figure(labels, previous, current, names, title, ylabel, limit, digits))


def compare_bars_figure(labels: Sequence[str], previous: Sequence[float | None],
                        current: Sequence[float | None], names: tuple[str, str], title: str,
                        ylabel: str = "", limit: float | None = None, digits: int = 2):
    """The figure of :func:`compare_bars`, its numbers printed as the tables print them."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(max(4.2, 0.9 * len(labels) + 2.0), 3.2))
    ax = fig.add_subplot()
    xs = list(range(len(labels)))
    w = 0.38
    for offset, values, name, color in ((-w / 2, previous, names[0], PREVIOUS),
                                        (w / 2, current, names[1], CURRENT)):
        shown = [v or 0.0 for v in values]
        bars = ax.bar([x + offset for x in xs], shown, width=w, color=color, label=name)
        for rect, v in zip(bars, values, strict=True):
            ax.text(rect.get_x() + rect.get_width() / 2, rect.get_height(),
                    "—" if v is None else fmt.fixed(v, digits), ha="center", va="bottom", fontsize=7)
    if limit is not None:
        ax.axhline(limit, color=LIMIT, linestyle="--", linewidth=1.1, label=f"限值 {fmt.limit(limit)}")
    ax.set_xticks(xs, labels)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.margins(y=0.15)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig

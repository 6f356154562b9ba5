"""Charts as inline SVG, drawn on the server (no chart service, no script): horizontal bars whose values are also
written as text beside them, a <title> and <desc> read by screen readers (role="img"), colours dark enough on
white for text (4.5:1) and that do not carry meaning alone (each bar of a pair is labelled "Nữ" or "Nam").

Pure functions: data in, SVG text out; the page marks it safe and puts it in its HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 360  # viewBox units; the SVG scales to its container's width
TEXT = "#1a1a1a"
BAR = "#1f5f99"  # 6.6:1 on white
FEMALE = "#a3195b"  # 7.0:1 on white
MALE = "#1f5f99"
TRACK = "#767676"  # the axis line: 4.5:1 on white
FONT = 'font-family="system-ui, sans-serif" font-size="14"'
LABEL_CHARS = 40  # an indicator's name longer than this is cut (the table beside the chart gives it whole)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written beside the bar, e.g. "12" or "75 %"


@dataclass(frozen=True)
class Pair:
    label: str
    female: float
    male: float


def number(value: float | None) -> str:
    """A figure as Vietnamese writes it: 1.200 and 12,5; an empty value as a dash."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _, decimals = f"{value:,.2f}".rstrip("0").partition(".")
    return whole.replace(",", ".") + "," + decimals


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _open(chart_id: str, height: int, title: str, description: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" aria-labelledby="{chart_id}-tieu-de {chart_id}-mo-ta" id={quoteattr(chart_id)}>',
            f'<title id="{chart_id}-tieu-de">{escape(title)}</title>',
            f'<desc id="{chart_id}-mo-ta">{escape(description)}</desc>']


def _scale(values: list[float], room: float) -> float:
    top = max([v for v in values if v > 0], default=0)
    return room / top if top else 0.0


def bars(chart_id: str, title: str, description: str, rows: list[Bar], label_width: int = 150) -> str:
    """One horizontal bar per row: its label on the left, its value written after the bar's end."""
    row_height, top = 30, 8
    room = WIDTH - label_width - 64
    scale = _scale([row.value for row in rows], room)
    height = top * 2 + row_height * max(len(rows), 1)
    parts = _open(chart_id, height, title, description)
    parts.append(f'<g {FONT} fill="{TEXT}">')
    for index, row in enumerate(rows):
        y = top + index * row_height
        length = max(row.value, 0) * scale
        parts.append(f'<text x="{label_width - 6}" y="{y + 20}" text-anchor="end">{escape(shorten(row.label, 18))}'
                     f'</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 6}" width="{length:.1f}" height="20" fill="{BAR}"/>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + 20}">{escape(row.text)}</text>')
    parts.append(f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - top}" '
                 f'stroke="{TRACK}" stroke-width="1"/>')
    parts.append("</g></svg>")
    return "\n".join(parts)


def paired_bars(chart_id: str, title: str, description: str, rows: list[Pair]) -> str:
    """For each row a heading line, then a bar for women ("Nữ") and one for men ("Nam"), each with its value."""
    group_height, top, label_width = 66, 8, 40
    room = WIDTH - label_width - 96
    scale = _scale([v for row in rows for v in (row.female, row.male)], room)
    height = top * 2 + group_height * max(len(rows), 1)
    parts = _open(chart_id, height, title, description)
    parts.append(f'<g {FONT} fill="{TEXT}">')
    for index, row in enumerate(rows):
        y = top + index * group_height
        parts.append(f'<text x="0" y="{y + 14}" font-weight="bold">{escape(shorten(row.label))}</text>')
        for offset, (sex, value, colour) in enumerate((("Nữ", row.female, FEMALE), ("Nam", row.male, MALE))):
            bar_y = y + 20 + offset * 21
            length = max(value, 0) * scale
            parts.append(f'<text x="0" y="{bar_y + 14}">{sex}</text>')
            parts.append(f'<rect x="{label_width}" y="{bar_y + 2}" width="{length:.1f}" height="16" '
                         f'fill="{colour}"/>')
            parts.append(f'<text x="{label_width + length + 4:.1f}" y="{bar_y + 14}">{sex}: {number(value)}</text>')
    parts.append("</g></svg>")
    return "\n".join(parts)

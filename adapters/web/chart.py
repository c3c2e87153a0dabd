"""Charts drawn as SVG on the server: no script, no CDN, readable on a phone
(the viewBox scales) and in print (dark strokes on white). Each point has a
<title> with its value; the same numbers are in the table beside the chart."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 640, 240, 36


def line_chart(title: str, labels: Sequence[str], values: Sequence[int]) -> str:
    """A line of `values` (one point each) over `labels`, y from 0 to the maximum."""
    top = max([*values, 1])
    n = len(values)
    step = (WIDTH - 2 * PAD) / max(n - 1, 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        return PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top

    points = [xy(i, v) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
        f'y2="{HEIGHT - PAD}"/>',
        f'<text class="tick" x="{PAD - 6}" y="{PAD + 4}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{PAD - 6}" y="{HEIGHT - PAD + 4}" text-anchor="end">0</text>',
        f'<polyline class="series" points="{line}"/>',
    ]
    for (x, y), label, v in zip(points, labels, values, strict=True):
        parts.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{escape(label)}: {v}</title></circle>"
        )
    for i in (0, n - 1) if n else ():
        x, _ = points[i]
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - PAD + 18}" text-anchor="middle">'
            f"{escape(labels[i])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int]) -> str:
    """Horizontal bars, one per label (a funnel, a load), each with its number."""
    top = max([*values, 1])
    row = 28
    height = PAD + row * len(values)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        y = PAD / 2 + i * row
        w = (WIDTH - 220) * v / top
        parts.append(
            f'<text class="tick" x="150" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="160" y="{y}" width="{w:.1f}" height="20">'
            f"<title>{escape(label)}: {v}</title></rect>"
            f'<text class="tick" x="{166 + w:.1f}" y="{y + 15}">{v}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

"""A price history as a tiny inline SVG: the line of past prices, the proposal as a red dot."""

from __future__ import annotations

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 160, 40, 4


def sparkline(history: list[int], proposed: int, *, label: str) -> Markup:
    """``history`` oldest first (minor units); ``proposed`` drawn after it, in red."""
    values = [*history, proposed]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def point(i: int, v: int) -> tuple[float, float]:
        return PAD + i * step, HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(history)))
    px, py = point(len(values) - 1, proposed)
    lx, ly = point(len(history) - 1, history[-1]) if history else (px, py)
    return Markup(
        f'<svg class="spark" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{Markup.escape(label)}">'
        f'<polyline fill="none" stroke="#0969da" stroke-width="2" points="{line}"/>'
        f'<line x1="{lx:.1f}" y1="{ly:.1f}" x2="{px:.1f}" y2="{py:.1f}" stroke="#b42318" '
        f'stroke-dasharray="3 2"/>'
        f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="#b42318"/></svg>')

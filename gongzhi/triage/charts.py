"""A small line chart drawn on the server as SVG (the monthly trend of the top concerns): a few series over at
most twelve labelled points. No JavaScript library, nothing to download; the template escapes every label."""

from __future__ import annotations

import math

PALETTE = ("#c0392b", "#2e86c1", "#27ae60", "#d68910", "#8e44ad", "#16a085")


def _nice_max(value: int) -> int:
    """The axis top: 1, 2 or 5 × a power of ten, at least the value (and at least 1)."""
    if value <= 1:
        return 1
    step = 10 ** math.floor(math.log10(value))
    return next(m * step for m in (1, 2, 5, 10) if m * step >= value)


def line_chart(labels: list[str], series: list[dict], width: int = 720, height: int = 280) -> dict:
    """Geometry of a line chart: `series` are {"name", "counts"} with one count per label."""
    top, right, bottom, left = 16, 16, 36, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    ymax = _nice_max(max((c for s in series for c in s["counts"]), default=0))
    n = len(labels)

    def x(i: int) -> float:
        return round(left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(top + plot_h - plot_h * v / ymax, 1)

    ticks = sorted({round(ymax * k / 4) for k in range(5)})
    lines = []
    for k, s in enumerate(series):
        dots = [{"x": x(i), "y": y(v), "value": v, "label": labels[i]} for i, v in enumerate(s["counts"])]
        lines.append({"name": s["name"], "color": PALETTE[k % len(PALETTE)], "dots": dots,
                      "points": " ".join(f"{d['x']},{d['y']}" for d in dots)})
    return {"width": width, "height": height, "left": left, "right": width - right, "base": y(0),
            "label_y": y(0) + 20, "tick_x": left - 6,
            "top": top, "xs": [{"x": x(i), "label": label} for i, label in enumerate(labels)],
            "yticks": [{"y": y(t), "value": t} for t in ticks], "lines": lines}

"""Geometry for the studio's server-rendered SVG line charts (no chart library, no JavaScript)."""

CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 360, 140, 34, 20, 10


def line_chart(series, key):
    """Geometry for a server-rendered SVG line chart of one metric."""
    values = [float(row[key]) for row in series]
    peak = max(values) if values and max(values) > 0 else 1
    inner_w, inner_h = CHART_W - PAD_L - 8, CHART_H - PAD_B - PAD_T
    step = inner_w / max(len(values) - 1, 1)
    points = [(PAD_L + i * step, PAD_T + inner_h - v / peak * inner_h) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    area = f"{PAD_L:.1f},{PAD_T + inner_h:.1f} {line} {points[-1][0]:.1f},{PAD_T + inner_h:.1f}" if points else ""
    label_every = max(len(series) // 4, 1)
    labels = [{"x": round(points[i][0], 1), "text": series[i]["day"].strftime("%b %-d")}
              for i in range(0, len(series), label_every)]
    peak_label = f"{peak:,.2f}" if key in ("earnings", "revenue") else f"{peak:,.0f}"
    return {
        "key": key, "width": CHART_W, "height": CHART_H, "line": line, "area": area, "labels": labels,
        "baseline": PAD_T + inner_h, "top": PAD_T, "left": PAD_L, "right": CHART_W - 8,
        "label_y": CHART_H - 6, "peak": peak_label, "total": sum(values),
        "dots": [{"x": round(x, 1), "y": round(y, 1), "value": v, "day": series[i]["day"]}
                 for i, ((x, y), v) in enumerate(zip(points, values, strict=True))] if len(points) <= 31 else [],
    }

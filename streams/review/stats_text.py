"""`afterguard review stats` as text."""

from __future__ import annotations

from typing import Any


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.0f}s"


def render(stats: dict[str, Any]) -> str:
    t = stats["targets"]
    lines = [f"wait targets: median {_s(t['median_s'])}, p95 {_s(t['p95_s'])}"]
    for group, g in stats["groups"].items():
        over = [name for name, flag in (("median", g["median_over_target"]),
                                        ("p95", g["p95_over_target"])) if flag]
        lines.append(f"  {group}: {g['items']} items, {g['open']} open; wait median "
                     f"{_s(g['wait_median_s'])}, p95 {_s(g['wait_p95_s'])}"
                     + (f"  OVER TARGET ({', '.join(over)})" if over else ""))
    limit = stats["max_open_per_reviewer"]
    lines.append(f"open items per reviewer (limit {limit}):")
    lines += [f"  {r}: {n}" for r, n in stats["open_per_reviewer"].items()] or ["  none"]
    lines.append("approval rate per rule (human verdicts):")
    for rule, r in stats["rules"].items():
        lines.append(f"  {rule}: {r['approval_rate']:.0%} of {r['verdicts']}")
        if r["hint"]:
            lines.append(f"    hint: {r['hint']}")
    if not stats["rules"]:
        lines.append("  no verdicts yet")
    return "\n".join(lines)

"""`afterguard sampling report`: per-stratum sample sizes, realised inclusion probabilities and,
once verdicts exist, the weighted error-rate estimate with a confidence bound.

Estimation: each reviewed result weighs 1/π, π its realised inclusion probability (1 for
mandatory items; p × admitted/drawn within a budget-limited (group, window, source topic,
agent): a budget admits each agent (or each topic, where no `trust.identities` vouch for its
agent ids) up to its share, `max_share_per_agent`, so the agents of one group and window are
admitted at different rates). The error rate is
the weighted share of reviewed results whose verdict was an error (reject or modify); its bound
is Clopper–Pearson on the Kish effective sample size n_eff = (Σw)² / Σw².
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sampling.bounds import lower_bound, upper_bound


@dataclass
class StratumStats:
    results: int = 0
    mandatory: int = 0
    drawn: int = 0
    budget_dropped: int = 0
    design_probability: float = 0.0
    selected: int = 0
    reviewed: int = 0
    errors: int = 0


@dataclass
class Report:
    strata: dict[str, StratumStats] = field(default_factory=dict)
    total: int = 0
    error_rate: float | None = None
    error_bounds: tuple[float, float] | None = None
    effective_n: float = 0.0
    confidence: float = 0.95


# (reviewer group, budget window start, source topic, agent id): the share a budget admits by
# is the verified identity's (policies.claims.verified_identity: a topic, or an identity over
# topics and agent globs), so the rate is taken per topic and agent, within it.
AgentWindow = tuple[str, str, str, str]


def _agent_window(audit: dict[str, Any]) -> AgentWindow:
    s = audit["sampling"]
    topic = (audit.get("source") or {}).get("topic") or ""
    return (s["reviewer_group"], s.get("budget_window_start") or "", topic,
            audit.get("agent_id", ""))


def _realised(decisions: list[dict[str, Any]]) -> dict[AgentWindow, float]:
    """admitted/drawn per (group, window, agent) where a budget dropped items."""
    drawn: dict[AgentWindow, int] = defaultdict(int)
    dropped: dict[AgentWindow, int] = defaultdict(int)
    for audit in decisions:
        s = audit["sampling"]
        if s["drawn"] and not s["mandatory_reasons"] and s.get("budget_window_start"):
            window = _agent_window(audit)
            drawn[window] += 1
            dropped[window] += s["budget_dropped"]
    return {w: (drawn[w] - dropped[w]) / drawn[w] for w in drawn if dropped[w]}


def inclusion_probability(audit: dict[str, Any], factors: Mapping[AgentWindow, float]) -> float:
    s = audit["sampling"]
    if s["mandatory_reasons"]:
        return 1.0
    return float(s["inclusion_probability"]) * factors.get(_agent_window(audit), 1.0)


def build_report(audits: Iterable[dict[str, Any]], errors_by_job: Mapping[str, bool],
                 confidence: float = 0.95) -> Report:
    """`errors_by_job`: job id → whether the reviewer found an error, for reviewed results."""
    decisions = [a for a in audits if a.get("event_type", "decision") == "decision"
                 and a.get("sampling")]
    samplings = [a["sampling"] for a in decisions]
    factors = _realised(decisions)
    report = Report(total=len(decisions), confidence=confidence)
    weights: list[float] = []
    weighted_errors = 0.0
    for audit, s in zip(decisions, samplings, strict=True):
        stats = report.strata.setdefault(s["stratum"], StratumStats())
        stats.results += 1
        stats.mandatory += bool(s["mandatory_reasons"])
        stats.drawn += s["drawn"]
        stats.budget_dropped += s["budget_dropped"]
        stats.design_probability = s["probability"]
        stats.selected += s["selected"]
        if s["selected"] and audit["job_id"] in errors_by_job:
            stats.reviewed += 1
            is_error = errors_by_job[audit["job_id"]]
            stats.errors += is_error
            weight = 1.0 / inclusion_probability(audit, factors)
            weights.append(weight)
            weighted_errors += weight * is_error
    if weights:
        total = sum(weights)
        report.error_rate = weighted_errors / total
        report.effective_n = total ** 2 / sum(w * w for w in weights)
        n = max(1, round(report.effective_n))
        k = min(n, round(report.error_rate * n))
        report.error_bounds = (lower_bound(k, n, confidence), upper_bound(k, n, confidence))
    return report


def render(report: Report) -> str:
    header = (f"{'stratum':<16}{'results':>9}{'mandatory':>10}{'drawn':>7}{'dropped':>8}"
              f"{'p':>8}{'realised':>10}{'selected':>9}{'reviewed':>9}{'errors':>7}")
    lines = [f"{report.total} decisions with a sampling record", header]
    for name, s in sorted(report.strata.items()):
        drawn_free = max(1, s.results - s.mandatory)
        realised = (s.selected - s.mandatory) / drawn_free
        lines.append(f"{name:<16}{s.results:>9}{s.mandatory:>10}{s.drawn:>7}{s.budget_dropped:>8}"
                     f"{s.design_probability:>8.3f}{realised:>10.3f}{s.selected:>9}"
                     f"{s.reviewed:>9}{s.errors:>7}")
    if report.error_rate is None:
        lines.append("no verdicts yet: error rate not estimated")
    else:
        low, high = report.error_bounds or (0.0, 1.0)
        lines.append(f"weighted error rate {report.error_rate:.4f}; "
                     f"{report.confidence:.0%} bounds [{low:.4f}, {high:.4f}] "
                     f"(Clopper-Pearson, effective n {report.effective_n:.1f})")
    return "\n".join(lines)

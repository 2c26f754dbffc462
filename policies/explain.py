"""Why a result got its decision: findings (never their values), the rules each matched, the
rule that decided, field rules, and the redacted output. Pure; the CLI renders it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from detectors.finding import Finding
from policies.action_result import ActionResult
from policies.claims import Views, views
from policies.conditions import SIGNALS, Match
from policies.decide import FIELD_ENTITY, Outcome, decide, fail_closed
from policies.decision import Decision
from policies.loader import LoadedPolicy
from policies.match import matches
from policies.redact import HashKey


@dataclass(frozen=True)
class FindingExplained:
    entity: str
    path: str
    start: int
    end: int
    score: float
    detector: str
    matched_rules: tuple[str, ...]
    rule_id: str
    decision: Decision
    action: str | None


@dataclass(frozen=True)
class Explanation:
    snapshot: str
    decision: Decision
    reasons: tuple[str, ...]
    findings: tuple[FindingExplained, ...]
    field_rules: tuple[tuple[str, str, str], ...]  # (rule id, path, action)
    result_rules: tuple[tuple[str, bool, str], ...]  # (rule id, matched, its signal checks)
    outcome: Outcome
    views: Views | None = None  # the trusted and claimed context (policies/claims.py)
    ner_coverage: str = ""  # what NER read of the leaves (detectors.coverage.COVERAGES)

    def trust(self) -> dict[str, Any]:
        if self.views is None:
            return {}
        t, c = self.views.trusted, self.views.claimed
        return {"bindings": list(self.views.bindings),
                "trusted": {"audience": t.audience, "risk_tags": list(t.risk_tags),
                            "amount_usd": t.amount_usd, "affected_users": t.affected_users},
                "with_claims": {"audience": c.audience, "risk_tags": list(c.risk_tags),
                                "amount_usd": c.amount_usd, "affected_users": c.affected_users}}

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy_snapshot": self.snapshot, "decision": self.decision.value,
            "ner_coverage": self.ner_coverage,
            "reasons": list(self.reasons),
            "findings": [{**f.__dict__, "decision": f.decision.value,
                          "matched_rules": list(f.matched_rules)} for f in self.findings],
            "field_rules": [{"rule_id": r, "path": p, "action": a} for r, p, a in self.field_rules],
            "result_rules": [{"rule_id": r, "matched": m, "signals": why}
                             for r, m, why in self.result_rules],
            "trust": self.trust(),
            "allowed": [{"entity": a.finding.entity, "path": a.finding.path,
                         "start": a.finding.start, "end": a.finding.end,
                         "detector": a.finding.detector, "allow_id": a.allow_id}
                        for a in self.outcome.allowed],
            "rule_ids": list(self.outcome.rule_ids),
            "redactions": [r.model_dump() for r in self.outcome.redactions],
            "output": self.outcome.output,
        }


def explain(result: ActionResult, findings: list[Finding], loaded: LoadedPolicy, key: HashKey,
            payload_bytes: int, topic: str | None = None, values: int = 0) -> Explanation:
    """The decision the worker would make for `result` read from input `topic`, with the
    reasoning behind it (`values`: its output's values and keys, streams/worker/value_count.py)."""
    seen = views(result, topic, loaded.policy.trust)
    result = seen.claimed
    if payload_bytes > loaded.policy.limits.max_payload_bytes:
        outcome = fail_closed("payload_too_large", result.output)
    elif values > loaded.policy.limits.max_values:
        outcome = fail_closed("too_many_values", result.output)
    else:
        outcome = decide(result, findings, loaded.policy, key, seen.trusted)
    actions = {(r.path, r.entity, r.rule_id): r.action for r in outcome.redactions}
    explained = tuple(
        FindingExplained(r.finding.entity, r.finding.path, r.finding.start, r.finding.end,
                         r.finding.score, r.finding.detector, r.matched, r.rule_id, r.decision,
                         actions.get((r.finding.path, r.finding.entity, r.rule_id)))
        for r in outcome.ruled)
    fields = tuple((r.rule_id, r.path, r.action) for r in outcome.redactions
                   if r.entity == FIELD_ENTITY)
    results = tuple((rule.id, any(matches(rule.when, v) for v in seen.both()),
                     signal_checks(rule.when, result))
                    for rule in loaded.policy.result_rules)
    return Explanation(loaded.snapshot, outcome.decision, outcome.reasons, explained, fields,
                       results, outcome, seen, loaded.policy.detection.ner_reads())


def signal_checks(match: Match, result: ActionResult) -> str:
    """Each signal condition of `match` against the result's own value (`confidence 0.5 <
    0.7: yes`); a signal the result does not report never holds."""
    parts = []
    for name in SIGNALS:
        threshold = getattr(match, name)
        if threshold is None:
            continue
        field, _, direction = name.rpartition("_")
        value = getattr(result, field)
        holds = matches(Match.model_validate({name: threshold}), result)
        sign = "<" if direction == "below" else ">"
        shown = "not reported" if value is None else f"{value:g}"
        parts.append(f"{field} {shown} {sign} {threshold:g}: {'yes' if holds else 'no'}")
    return "; ".join(parts)


def render(explanation: Explanation) -> str:
    """A report for people; finding values are never shown, only where they are."""
    e = explanation
    lines = [f"policy   {e.snapshot}" + (f" (NER reads: {e.ner_coverage})" if e.ner_coverage
                                          else ""),
             f"decision {e.decision.value}" + (f" ({', '.join(e.reasons)})" if e.reasons else ""),
             "", f"findings ({len(e.findings)})"]
    for f in e.findings:
        matched = ", ".join(f.matched_rules) or "none: policy default"
        lines.append(f"  {f.entity:<16} {f.path} [{f.start}:{f.end}] score {f.score:.2f} "
                     f"by {f.detector}")
        lines.append(f"    matched: {matched}; decided by {f.rule_id} -> {f.decision.value}"
                     + (f" ({f.action})" if f.action else ""))
    if e.views is not None and e.views.bindings:
        t, c = e.views.trusted, e.views.claimed
        trust = (f"trust    bound by {', '.join(e.views.bindings)}: "
                 f"{_context(t.audience, t.risk_tags)}; with the agent's claims (they only "
                 f"tighten): {_context(c.audience, c.risk_tags)}")
        lines += ["", trust]
    if e.outcome.allowed:
        lines += ["", f"allowed by the policy's allow lists ({len(e.outcome.allowed)})"]
        lines += [f"  {a.finding.entity:<16} {a.finding.path} [{a.finding.start}:{a.finding.end}]"
                  f" by {a.finding.detector}: allowed by {a.allow_id}" for a in e.outcome.allowed]
    if e.field_rules:
        lines += ["", f"field rules ({len(e.field_rules)})"]
        lines += [f"  {rule}: {action} {path}" for rule, path, action in e.field_rules]
    if e.result_rules:
        lines += ["", f"result rules ({len(e.result_rules)})"]
        lines += [f"  {rule}: {'quarantines' if hit else 'does not match'}"
                  + (f" ({why})" if why else "") for rule, hit, why in e.result_rules]
    lines += ["", f"rules    {', '.join(e.outcome.rule_ids) or '-'}", "", "output",
              json.dumps(e.outcome.output, indent=2, ensure_ascii=False)]
    return "\n".join(lines)


def _context(audience: str | None, tags: tuple[str, ...]) -> str:
    return f"audience {audience or 'unspecified'}, risk tags {', '.join(tags) or '-'}"

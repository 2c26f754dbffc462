"""Turn findings into a decision under a policy. Pure: no I/O, no clock, no global state."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from detectors.finding import Finding
from detectors.walker import nodes
from policies.action_result import ActionResult
from policies.decision import Decision, Redaction
from policies.glob import any_glob
from policies.model import Drop, Match, Operator, OutputRule, Policy, Remove
from policies.redact import HashKey, SpanEdit, apply, is_span_operator, whole_value_operator

DEFAULT_RULE_ID = "policy-default"


@dataclass(frozen=True)
class RuledFinding:
    """A finding with the rule that decided it."""

    finding: Finding
    rule_id: str
    decision: Decision


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    output: Any
    redactions: tuple[Redaction, ...]
    rule_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    ruled: tuple[RuledFinding, ...]


def matches(match: Match, result: ActionResult) -> bool:
    if match.actions and not any_glob(match.actions, result.action):
        return False
    if match.agents and not any_glob(match.agents, result.agent_id):
        return False
    if match.risk_tags and not set(match.risk_tags) & set(result.risk_tags):
        return False
    if match.audience and (result.audience is None
                           or result.audience not in {a.value for a in match.audience}):
        return False
    return True


def rule_for(finding: Finding, result: ActionResult, policy: Policy) -> OutputRule | None:
    for rule in policy.rules:
        if rule.entities and finding.entity not in rule.entities:
            continue
        if rule.paths and not any_glob(rule.paths, finding.path):
            continue
        if finding.score < rule.min_score or not matches(rule.when, result):
            continue
        return rule
    return None


def decide(result: ActionResult, findings: list[Finding], policy: Policy,
           key: HashKey) -> Outcome:
    decisions: list[Decision] = []
    ruled: list[RuledFinding] = []
    redactions: list[Redaction] = []
    span_edits: dict[str, list[SpanEdit]] = defaultdict(list)
    whole_ops: dict[str, list[Operator]] = defaultdict(list)
    for finding in findings:
        rule = rule_for(finding, result, policy)
        decision = rule.decision if rule else policy.defaults.decision
        rule_id = rule.id if rule else DEFAULT_RULE_ID
        reason = rule.reason if rule else "finding not covered by any rule: policy default"
        operator = (rule.operator if rule else policy.defaults.operator) or policy.defaults.operator
        ruled.append(RuledFinding(finding, rule_id, decision))
        decisions.append(decision)
        if decision is not Decision.REDACT:
            continue
        if is_span_operator(operator):
            span_edits[finding.path].append(
                SpanEdit(finding.path, finding.start, finding.end, finding.entity, operator))
        else:
            whole_ops[finding.path].append(operator)
        redactions.append(Redaction(path=finding.path, entity=finding.entity, reason=reason,
                                    action=operator.type, rule_id=rule_id))
    for field_rule in policy.field_rules:
        if not matches(field_rule.when, result):
            continue
        for path, _ in nodes(result.output):
            if any_glob(field_rule.paths, path) and not _under_any(path, whole_ops):
                whole_ops[path].append(field_rule.operator)
                redactions.append(Redaction(path=path, entity="FIELD", reason=field_rule.reason,
                                            action=field_rule.operator.type,
                                            rule_id=field_rule.id))
                decisions.append(Decision.REDACT)
    whole: dict[str, Remove | Drop] = {}
    for path, ops in whole_ops.items():
        chosen = whole_value_operator(ops)
        if chosen is not None:
            whole[path] = chosen
    output = apply(result.output, span_edits, whole, key) if redactions else result.output
    rule_ids = tuple(dict.fromkeys([r.rule_id for r in ruled] + [r.rule_id for r in redactions]))
    return Outcome(
        decision=Decision.most_severe(decisions),
        output=output,
        redactions=tuple(redactions),
        rule_ids=rule_ids,
        reasons=(),
        ruled=tuple(ruled),
    )


def _under_any(path: str, removed: dict[str, list[Operator]]) -> bool:
    """True when `path` or one of its ancestors is already removed or dropped whole."""
    return any(path == p or path.startswith(p + ".") or path.startswith(p + "[") for p in removed)


def fail_closed(reason: str, output: Any) -> Outcome:
    """The outcome when something on the way to a decision failed: never ALLOW."""
    return Outcome(Decision.QUARANTINE, output, (), ("fail-closed",), (reason,), ())

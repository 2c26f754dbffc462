"""Turn findings into a decision under a policy. Pure: no I/O, no clock, no global state but a
bounded memo of which rules' conditions hold for which result facts (`_conditions`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from detectors.finding import Finding
from detectors.keys import placeholder_keys
from detectors.split_items import DETECTOR_PREFIX as SPLIT_ITEMS
from detectors.walker import ROOT, nodes
from policies.action_result import ActionResult
from policies.allow import AllowedFinding, split_allowed
from policies.decision import Decision, Redaction, WithheldOutput
from policies.glob import any_glob, literal_tails
from policies.match import Cuts, match_facts, matches, policy_cuts
from policies.model import OutputRule, Policy
from policies.operators import Hash, Mask, Operator, Replace, WholeOperator
from policies.redact import HashKey, SpanEdit, apply, whole_value_operator

DEFAULT_RULE_ID = "policy-default"
FAIL_CLOSED_RULE_ID = "fail-closed"
FIELD_ENTITY = "FIELD"


_SET = object.__setattr__
# The operators that edit a span of a string (policies.operators.SpanOperator), as a tuple:
# `isinstance` with a `|` union builds the union on every call.
_SPAN_OPERATORS = (Replace, Mask, Hash)


class HashKeyMismatch(ValueError):
    """The policy names a hash key id the worker does not hold (fails closed: policy_error)."""


@dataclass(frozen=True)
class RuledFinding:
    """A finding, the rule that decided it, and every rule that matched it (file order)."""

    finding: Finding
    rule_id: str
    decision: Decision
    matched: tuple[str, ...] = ()

    def __init__(self, finding: Finding, rule_id: str, decision: Decision,
                 matched: tuple[str, ...] = ()) -> None:
        # the dataclass's own, written out: the generated one is not compiled (one per
        # finding); its fields set in one step, as the instance's dict in their order
        _SET(self, "__dict__", {"finding": finding, "rule_id": rule_id, "decision": decision,
                                "matched": matched})


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    output: Any
    redactions: tuple[Redaction, ...]
    rule_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    ruled: tuple[RuledFinding, ...]
    allowed: tuple[AllowedFinding, ...] = ()
    # The output the findings' paths point into: the input's, with sensitive keys replaced.
    scanned_output: Any = None
    # Set (and `output` None) when the worker holds the result without copying its output.
    output_withheld: WithheldOutput | None = None

    def __init__(self, decision: Decision, output: Any, redactions: tuple[Redaction, ...],
                 rule_ids: tuple[str, ...], reasons: tuple[str, ...],
                 ruled: tuple[RuledFinding, ...], allowed: tuple[AllowedFinding, ...] = (),
                 scanned_output: Any = None,
                 output_withheld: WithheldOutput | None = None) -> None:
        # the dataclass's own, written out: the generated one is not compiled (one per
        # result); its fields set in one step, as the instance's dict in their order
        _SET(self, "__dict__", {
            "decision": decision, "output": output, "redactions": redactions,
            "rule_ids": rule_ids, "reasons": reasons, "ruled": ruled, "allowed": allowed,
            "scanned_output": scanned_output, "output_withheld": output_withheld})

    @property
    def failed_closed(self) -> bool:
        """Something on the way to the decision failed: the output was not (fully) scanned."""
        return self.rule_ids == (FAIL_CLOSED_RULE_ID,)


def matching_rules(finding: Finding, result: ActionResult, policy: Policy) -> list[OutputRule]:
    """Every output rule that covers this finding, in file order."""
    return _covering(finding, rules_for(result, policy))


def rules_for(result: ActionResult, policy: Policy) -> tuple[OutputRule, ...]:
    """The output rules whose `when` holds for `result`, in file order: what `matching_rules`
    filters by entity, path and score. It depends on the result alone, so `decide` works it out
    once per view, not once per finding."""
    return _conditions(result, policy).rules


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a key of `_CHOICES`
class _Held:
    """Which of a policy's rules have a `when` that holds for one view of a result."""

    rules: tuple[OutputRule, ...]  # output rules, in file order
    field_rules: tuple[bool, ...]  # per field rule
    result_rules: tuple[bool, ...]  # per result rule


# A policy's conditions depend on a handful of a result's fields (`match_facts`), which repeat
# from result to result (an agent's action, tags, audience; its signals, such as an amount, by
# which of the policy's thresholds they are past: `policy_cuts`): what holds is remembered per
# policy and per those facts, a bounded number of each.
_HELD: dict[int, tuple[Policy, Cuts | None, dict[tuple[object, ...], _Held]]] = {}
_HELD_POLICIES = 8
_HELD_FACTS = 4096
# The choice for a finding under one view's rules depends on its entity, path and score only
# (`_choose`), which repeat from result to result (the same field of the same kind of output):
# remembered per `_Held`, a bounded number in all, short paths only (paths come from payloads).
_CHOICES: dict[tuple[_Held, str, str, float], _Choice] = {}
_CHOICES_KEPT = 8192
_CHOICE_PATH = 256
# The same per finding under all of one result's views (`_verdict`), as many.
_VERDICTS: dict[tuple[tuple[_Held, ...], str, str, float], _Verdict] = {}


def _conditions(result: ActionResult, policy: Policy) -> _Held:
    entry = _HELD.get(id(policy))
    if entry is None or entry[0] is not policy:
        if len(_HELD) >= _HELD_POLICIES:
            _HELD.clear()
            _CHOICES.clear()
            _VERDICTS.clear()
        entry = _HELD[id(policy)] = (policy, policy_cuts(policy), {})
    known = entry[2]
    facts = match_facts(result, entry[1])
    held = known.get(facts)
    if held is None:
        if len(known) >= _HELD_FACTS:
            known.clear()
        held = known[facts] = _Held(
            tuple(rule for rule in policy.rules if matches(rule.when, result)),
            tuple(matches(rule.when, result) for rule in policy.field_rules),
            tuple(matches(rule.when, result) for rule in policy.result_rules))
    return held


def _covering(finding: Finding, rules: tuple[OutputRule, ...]) -> list[OutputRule]:
    return [rule for rule in rules
            if (not rule.entities or finding.entity in rule.entities)
            and (not rule.paths or any_glob(rule.paths, finding.path))
            and finding.score >= rule.min_score]


def rule_for(finding: Finding, result: ActionResult, policy: Policy) -> OutputRule | None:
    """The deciding rule: the most severe that matches; among equals, the first in the file."""
    candidates = matching_rules(finding, result, policy)
    return max(candidates, key=lambda r: r.decision.severity, default=None)


class _Edits:
    """The redactions collected for one result, applied at the end in one pass."""

    def __init__(self) -> None:
        self.spans: dict[str, list[SpanEdit]] = defaultdict(list)
        self.whole: dict[str, list[WholeOperator]] = defaultdict(list)
        self.records: list[Redaction] = []

    def add(self, finding: Finding, operator: Operator, reason: str, rule_id: str) -> None:
        fields = finding.__dict__  # its fields from its dict, as in `_verdict`
        path, entity = fields["path"], fields["entity"]
        if fields["on_key"] and isinstance(operator, _SPAN_OPERATORS):
            pass  # the key itself: already replaced by its placeholder (detectors.keys)
        elif isinstance(operator, _SPAN_OPERATORS):
            if fields["detector"].startswith(SPLIT_ITEMS) and not isinstance(operator, Replace):
                # one item of a value split over a list: a mask would keep its last characters
                # and a hash of one or a few characters is read back by trying them all
                operator = Replace()
            self.spans[path].append(SpanEdit(path, fields["start"], fields["end"], entity,
                                             operator))
        else:
            self.whole[path].append(operator)
        self.records.append(_redaction(path, entity, reason, operator.type, rule_id))

    def removed(self, path: str) -> bool:
        """True when `path` or one of its ancestors is already removed or dropped whole."""
        return any(path == p or p == ROOT or path.startswith((p + ".", p + "["))
                   for p in self.whole)


# How much of a value an operator leaves: between two redactions of one finding by equally
# severe rules, the one that leaves less wins.
_OPERATOR_STRICTNESS = {"drop": 4, "remove": 3, "replace": 2, "hash": 1, "mask": 1}


@dataclass(frozen=True)
class _Choice:
    rule: OutputRule | None
    decision: Decision
    operator: Operator | None
    matched: tuple[OutputRule, ...]
    # (the decision's severity, how much of the value the operator leaves): of two choices for
    # one finding, the stricter has the larger
    strictness: tuple[int, int] = (0, 0)


_STRICTNESS = attrgetter("strictness")


def _most_severe(decisions: list[Decision]) -> Decision:
    """`Decision.most_severe` without a Python property call per decision: the three
    decisions by severity, the most severe one present."""
    if Decision.QUARANTINE in decisions:
        return Decision.QUARANTINE
    return Decision.REDACT if Decision.REDACT in decisions else Decision.ALLOW


# A redaction record is a value, and the same path, entity, reason, action and rule come again
# from result to result (the same field of the same kind of output): each is made once, a
# bounded number of them, short paths only.
_REDACTIONS: dict[tuple[str, str, str, str, str], Redaction] = {}
_REDACTIONS_KEPT = 4096


def _redaction(path: str, entity: str, reason: str, action: str, rule_id: str) -> Redaction:
    if len(path) > _CHOICE_PATH:
        return Redaction(path=path, entity=entity, reason=reason, action=action, rule_id=rule_id)
    key = (path, entity, reason, action, rule_id)
    found = _REDACTIONS.get(key)
    if found is None:
        if len(_REDACTIONS) >= _REDACTIONS_KEPT:
            _REDACTIONS.clear()
        found = _REDACTIONS[key] = Redaction(path=path, entity=entity, reason=reason,
                                             action=action, rule_id=rule_id)
    return found


def _chosen(finding: Finding, held: _Held, policy: Policy) -> _Choice:
    """`_choose` under `held.rules` (the rules of `policy` for one view), remembered."""
    if len(finding.path) > _CHOICE_PATH:
        return _choose(finding, held.rules, policy)
    key = (held, finding.entity, finding.path, finding.score)
    choice = _CHOICES.get(key)
    if choice is None:
        if len(_CHOICES) >= _CHOICES_KEPT:
            _CHOICES.clear()
        choice = _CHOICES[key] = _choose(finding, held.rules, policy)
    return choice


@dataclass(frozen=True)
class _Verdict:
    """A finding judged under every view of a result: the stricter view's choice, the ids of
    the rules that matched it under any view (file order, each once), and the deciding rule's
    id and reason."""

    choice: _Choice
    matched: tuple[str, ...]
    rule_id: str
    reason: str


def _verdict(finding: Finding, held: tuple[_Held, ...], policy: Policy) -> _Verdict:
    """`_judge`, remembered like `_chosen` (by the views' rules and the finding's entity, path
    and score)."""
    # A finding's fields read from its dict, here and in `_Edits.add`: a pydantic model's
    # attribute is read through its `__getattr__` hook, a few times a dict item's cost, and
    # these run per finding.
    fields = finding.__dict__
    path = fields["path"]
    if len(path) > _CHOICE_PATH:
        return _judge(finding, held, policy)
    key = (held, fields["entity"], path, fields["score"])
    verdict = _VERDICTS.get(key)
    if verdict is None:
        if len(_VERDICTS) >= _CHOICES_KEPT:
            _VERDICTS.clear()
        verdict = _VERDICTS[key] = _judge(finding, held, policy)
    return verdict


def _judge(finding: Finding, held: tuple[_Held, ...], policy: Policy) -> _Verdict:
    """`held`: the rules of each view (the trusted view first)."""
    choices = [_chosen(finding, h, policy) for h in held]
    choice = max(choices, key=_STRICTNESS)  # the trusted view wins a tie
    rule = choice.rule
    return _Verdict(choice, tuple(dict.fromkeys(r.id for c in choices for r in c.matched)),
                    rule.id if rule else DEFAULT_RULE_ID,
                    rule.reason if rule else policy.defaults.reason)


def _choose(finding: Finding, rules: tuple[OutputRule, ...], policy: Policy) -> _Choice:
    """`rules`: those whose `when` holds for the view (`rules_for`)."""
    matched = _covering(finding, rules)
    rule = max(matched, key=lambda r: r.decision.severity, default=None)
    decision = rule.decision if rule else policy.defaults.decision
    operator = None
    if decision is Decision.REDACT:
        operator = rule.operator if rule and rule.operator else policy.defaults.operator
    strictness = _OPERATOR_STRICTNESS[operator.type] if operator is not None else 0
    return _Choice(rule, decision, operator, tuple(matched), (decision.severity, strictness))


def decide(result: ActionResult, findings: list[Finding], policy: Policy,
           key: HashKey, trusted: ActionResult | None = None) -> Outcome:
    """`result` as claimed; `trusted`, when given, the same result with only what the policy's
    bindings vouch for (policies/claims.py). Each finding, field rule and result rule is judged
    under both and the stricter outcome is kept: a claim can tighten, never relax. Findings the
    policy's allow lists cover are set aside first (`Outcome.allowed`) and reach no rule.
    Object keys holding a value the policy does not allow are replaced by a placeholder first
    (detectors.keys), in the output and in every finding's path."""
    findings, allowed = split_allowed(findings, result.output, policy.detection.allow)
    if trusted is result:  # the result claims nothing beyond its bindings: one view
        trusted = None
    views = (result,) if trusted is None else (trusted, result)
    # Each view's rules: the output is not part of any `when`, so they hold for either output.
    held = tuple([_conditions(view, policy) for view in views])
    if any(f.on_key for f in findings):
        def withheld(finding: Finding) -> bool:
            choice = max((_chosen(finding, h, policy) for h in held), key=_STRICTNESS)
            return choice.decision is not Decision.ALLOW
        output, findings = placeholder_keys(result.output, findings, withheld)
        result = result.model_copy(update={"output": output})
        trusted = trusted.model_copy(update={"output": output}) if trusted else None
        views = (result,) if trusted is None else (trusted, result)
    decisions: list[Decision] = []
    ruled: list[RuledFinding] = []
    edits = _Edits()
    for finding in findings:
        verdict = _verdict(finding, held, policy)
        choice = verdict.choice
        ruled.append(RuledFinding(finding, verdict.rule_id, choice.decision, verdict.matched))
        decisions.append(choice.decision)
        if choice.operator is not None:
            _check_key(choice.operator, key)
            edits.add(finding, choice.operator, verdict.reason, verdict.rule_id)
    paths: list[str] | None = None  # the output's, walked once for all field rules
    for index, field_rule in enumerate(policy.field_rules):
        if not any(h.field_rules[index] for h in held):
            continue
        if paths is None:
            paths = [path for path, _ in nodes(result.output) if path != ROOT]
        tails = literal_tails(field_rule.paths)  # what a path it matches ends with
        for path in paths:
            if (path.endswith(tails) and any_glob(field_rule.paths, path)
                    and not edits.removed(path)):
                edits.whole[path].append(field_rule.operator)
                edits.records.append(_redaction(path, FIELD_ENTITY, field_rule.reason,
                                                field_rule.operator.type, field_rule.id))
                decisions.append(Decision.REDACT)
    results = tuple(rule for index, rule in enumerate(policy.result_rules)
                    if any(h.result_rules[index] for h in held))
    decisions += [rule.decision for rule in results]
    whole = {path: whole_value_operator(ops) for path, ops in edits.whole.items()}
    output = apply(result.output, edits.spans, whole, key) if edits.records else result.output
    rule_ids = tuple(dict.fromkeys([r.rule_id for r in ruled] + [r.rule_id for r in edits.records]
                                   + [r.id for r in results]))
    return Outcome(decision=_most_severe(decisions), output=output,
                   redactions=tuple(edits.records), rule_ids=rule_ids,
                   reasons=tuple(f"result_rule:{r.id}" for r in results), ruled=tuple(ruled),
                   allowed=allowed, scanned_output=result.output)


def _check_key(operator: Operator, key: HashKey) -> None:
    if isinstance(operator, Hash) and operator.key_id is not None and operator.key_id != key.key_id:
        raise HashKeyMismatch(f"the policy hashes with key {operator.key_id!r}; this worker holds "
                              f"key {key.key_id!r}")


def fail_closed(reason: str, output: Any) -> Outcome:
    """The outcome when something on the way to a decision failed: never ALLOW."""
    return Outcome(Decision.QUARANTINE, output, (), (FAIL_CLOSED_RULE_ID,), (reason,), (),
                   scanned_output=output)

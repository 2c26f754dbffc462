"""What a reviewer releases is checked by the policy first (issue 11, part 6). Pure.

- A modified output is scanned and decided like any result: one the policy would quarantine
  is refused (with the rules, entities and paths, never the values); what it would redact is
  redacted.
- An approved quarantined output is released as the policy's redacted view: the values that
  quarantined it are replaced by their typed placeholder (`[REDACTED:CREDENTIAL]`, as the
  reviewer saw them), then the policy's own redaction and field rules apply.
- Both scans get the review policy's longer `rescan_timeout_ms`, so a result withheld after a
  scan timeout or failure is scanned before it can be released; if it still cannot be scanned
  it is not released.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from detectors import DetectorEngine, Finding
from policies import ActionResult, Decision, HashKey, LoadedPolicy, Outcome, decide
from policies.omission import path_pattern
from policies.operators import Replace
from policies.redact import SpanEdit, apply
from sampling.record import ReviewItem
from streams.worker.scan_budget import DetectorTimeout, scan_results
from streams.worker.value_count import count_values


@dataclass(frozen=True)
class Checked:
    """The output as it may be released, and the decision the policy gave it."""

    output: Any
    decision: Decision


@dataclass(frozen=True)
class Unreleasable:
    """Why this output may not be released (no values in it)."""

    reason: str


class ReleaseCheck:
    def __init__(self, policy: LoadedPolicy, engine: DetectorEngine, key: HashKey,
                 rescan_timeout_ms: int, clock: Callable[[], float]) -> None:
        self.policy, self.engine, self.key = policy, engine, key
        self.budget_s, self.clock = rescan_timeout_ms / 1000, clock

    def modified(self, output: Any, item: ReviewItem) -> Checked | Unreleasable:
        """A reviewer's edited output: refused where the worker would not release a result's
        output unscanned or at all: nested deeper than `limits.max_depth` (it could not be
        recorded, or read by the worker), more values than `limits.max_values`, larger than
        `limits.max_payload_bytes`; or if the policy would quarantine it."""
        limits = self.policy.policy.limits
        if nesting_over(output, limits.max_depth):
            return Unreleasable(f"it is nested deeper than limits.max_depth ({limits.max_depth})")
        if count_values(output, limits.max_values) > limits.max_values:
            return Unreleasable(f"it holds more values than limits.max_values "
                                f"({limits.max_values})")
        size = len(json.dumps(output, ensure_ascii=False).encode())
        if size > limits.max_payload_bytes:
            return Unreleasable(f"it is {size} bytes, over limits.max_payload_bytes "
                                f"({limits.max_payload_bytes})")
        return self._check(output, item, mask_quarantined=False)

    def approved(self, output: Any, item: ReviewItem) -> Checked | Unreleasable:
        """A held raw output a reviewer approved: its quarantined values masked."""
        return self._check(output, item, mask_quarantined=True)

    def _check(self, output: Any, item: ReviewItem, *, mask_quarantined: bool
               ) -> Checked | Unreleasable:
        result = ActionResult(job_id=item.job_id, agent_id=item.agent_id, action=item.action,
                              output=output, tenant=item.tenant, risk_tags=item.risk_tags,
                              amount_usd=item.amount_usd, affected_users=item.affected_users)
        scanned = self._scan(result)
        if isinstance(scanned, Unreleasable):
            return scanned
        try:
            outcome = decide(result, scanned, self.policy.policy, self.key)
        except Exception as exc:  # noqa: BLE001 - a policy error never releases an output
            return Unreleasable(f"the policy could not decide it ({type(exc).__name__})")
        if outcome.decision is not Decision.QUARANTINE:
            return Checked(outcome.output, outcome.decision)
        if not mask_quarantined:
            return Unreleasable("the policy would quarantine it: " + _why(outcome))
        masked = apply(output, _quarantined_spans(outcome), {}, self.key)
        again = self._check(masked, item, mask_quarantined=False)
        if isinstance(again, Unreleasable):
            return Unreleasable("even with its quarantined values masked, " + again.reason)
        return again

    def _scan(self, result: ActionResult) -> list[Finding] | Unreleasable:
        [found] = scan_results(self.engine, [result], self.budget_s, self.clock)
        if isinstance(found, DetectorTimeout):
            return Unreleasable(f"it could not be scanned within the "
                                f"{self.budget_s * 1000:.0f} ms rescan budget")
        if isinstance(found, Exception):
            return Unreleasable(f"scanning it failed ({type(found).__name__})")
        return found


def nesting_over(value: Any, limit: int) -> bool:
    """True when `value` nests lists and objects deeper than `limit` (counted as in a JSON
    text: a scalar is 0, `[1]` is 1); walked without recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth + 1 > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


def _quarantined_spans(outcome: Outcome) -> dict[str, list[SpanEdit]]:
    spans: dict[str, list[SpanEdit]] = {}
    for ruled in outcome.ruled:
        if ruled.decision is Decision.QUARANTINE:
            f = ruled.finding
            spans.setdefault(f.path, []).append(
                SpanEdit(f.path, f.start, f.end, f.entity, Replace()))
    return spans


WHY_LISTED = 10  # findings a refusal names; it counts the others (an output may hold thousands)


def _why(outcome: Outcome) -> str:
    found = sorted({f"{r.finding.entity} at {path_pattern(r.finding.path)} (rule {r.rule_id})"
                    for r in outcome.ruled if r.decision is Decision.QUARANTINE})
    more = f"; and {len(found) - WHY_LISTED} more" if len(found) > WHY_LISTED else ""
    return ("; ".join(found[:WHY_LISTED]) + more or ", ".join(outcome.reasons)
            or "rules " + ", ".join(outcome.rule_ids))

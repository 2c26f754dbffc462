"""What a reviewer releases has been checked by the policy (issue 11, part 6): a modified output
is rescanned (refused if the policy would quarantine it, redacted where it would redact); an
approved credential quarantine releases the redacted output; a result withheld after a scan
timeout is rescanned before release and not released if it still cannot be scanned; the raw
output is released only by `release_raw`, which the policy must allow."""

from __future__ import annotations

from typing import Any

from policies.decision import Decision, WithheldOutput
from sampling.verdict import VerdictKind
from streams.review.queue import ReviewQueue
from streams.review.recheck import ReleaseCheck, nesting_over
from streams.review.state import Refusal
from tests.unit.review.conftest import (
    REVIEW,
    at,
    default_check,
    item,
    make_queue,
    quarantined,
    source,
)
from tests.unit.review.test_claims_and_decisions import decided, pulled

AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
GITHUB_TOKEN = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789"


def claimed(queue: ReviewQueue, held_output: Any, **item_fields: Any) -> None:
    queue.enqueue(item(1, decision=Decision.QUARANTINE).model_copy(update=item_fields))
    queue.hold(quarantined(1, held_output))
    pulled(queue.pull("ops", "ann", at(1)))


def test_a_modify_the_policy_would_quarantine_is_refused_with_the_reason(
        queue: ReviewQueue) -> None:
    claimed(queue, {"log": f"key {AWS_KEY}"})
    refused = queue.decide("rv-1", "ann", VerdictKind.MODIFY, at(2), comment="redacted",
                           modified_output={"log": f"still here: {GITHUB_TOKEN}"})
    assert isinstance(refused, Refusal) and refused.status == 422
    assert "CREDENTIAL at log" in refused.message and "credentials-quarantine" in \
        refused.message
    assert GITHUB_TOKEN not in refused.message, "the reason never carries the value"
    assert queue.state.entries["rv-1"].outcome is None, "the item is still open"


def test_a_modify_is_released_as_the_policy_redacts_it(queue: ReviewQueue) -> None:
    claimed(queue, {"log": f"key {AWS_KEY}"})
    _, effects = decided(queue.decide(
        "rv-1", "ann", VerdictKind.MODIFY, at(2), comment="cleaned",
        modified_output={"log": "cleaned; ask ann@example.com", "internal_notes": "x"}))
    [released] = effects.releases
    assert released.output == {"log": "cleaned; ask [REDACTED:EMAIL_ADDRESS]"}
    assert effects.verdicts[0].modified_output == released.output, \
        "the verdicts topic carries the checked edit, not the raw one"


def test_approving_a_credential_quarantine_releases_the_redacted_output(
        queue: ReviewQueue) -> None:
    claimed(queue, {"log": f"key {AWS_KEY} for ann@example.com"})
    _, effects = decided(queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2)))
    [released] = effects.releases
    assert released.output == {"log": "key [REDACTED:CREDENTIAL] for [REDACTED:EMAIL_ADDRESS]"}
    assert effects.audit[0].payload.kind == "verdict" and effects.audit[0].payload.released


def test_a_withheld_result_that_still_cannot_be_scanned_is_not_released() -> None:
    shipped = default_check()
    slow = iter(range(0, 10**6, 5)).__next__  # every scan takes 5 s on this clock
    queue = make_queue(check=ReleaseCheck(shipped.policy, shipped.engine, shipped.key, 1_000,
                                          slow))
    claimed(queue, {"log": "a result whose scan timed out in the worker"},
            output="[WITHHELD]", reasons=("detector_timeout",))
    refused = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2))
    assert isinstance(refused, Refusal) and "could not be scanned" in refused.message
    assert queue.state.held["agent.actions/0/1"].state == "held"


def test_a_withheld_result_is_rescanned_with_the_longer_budget_before_release(
        queue: ReviewQueue) -> None:
    claimed(queue, {"log": f"timed out in the worker; key {AWS_KEY}"},
            output="[WITHHELD]", reasons=("detector_timeout",))
    _, effects = decided(queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2)))
    assert [r.output for r in effects.releases] == \
        [{"log": "timed out in the worker; key [REDACTED:CREDENTIAL]"}]


def test_release_raw_needs_the_policy_and_is_audited_as_such() -> None:
    queue = make_queue()
    claimed(queue, {"log": f"key {AWS_KEY}"})
    refused = queue.decide("rv-1", "ann", VerdictKind.RELEASE_RAW, at(2), comment="needed")
    assert isinstance(refused, Refusal) and refused.status == 403
    assert "review.release_raw" in refused.message
    allowing = make_queue(review=REVIEW.model_copy(update={"release_raw": True}))
    claimed(allowing, {"log": f"key {AWS_KEY}"})
    _, effects = decided(allowing.decide("rv-1", "ann", VerdictKind.RELEASE_RAW, at(2),
                                            comment="the customer's own key"))
    assert [r.output for r in effects.releases] == [{"log": f"key {AWS_KEY}"}]
    assert effects.verdicts[0].verdict is VerdictKind.RELEASE_RAW
    [record] = effects.audit
    assert record.payload.kind == "verdict" and record.payload.verdict == "release_raw"
    assert "release_raw by ann" in effects.releases[0].reasons[-1]


def test_an_output_held_by_reference_is_never_released_as_the_reference(
        queue: ReviewQueue) -> None:
    reference = WithheldOutput(note="too large", job_hash="sha256:" + "0" * 64, record_bytes=9,
                               source=source(1))
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.hold(quarantined(1).model_copy(update={"output": None, "output_withheld": reference}))
    pulled(queue.pull("ops", "ann", at(1)))
    refused = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2))
    assert isinstance(refused, Refusal) and "too large to copy" in refused.message


def test_a_refused_modify_names_a_few_findings_and_counts_the_rest(queue: ReviewQueue) -> None:
    claimed(queue, {"log": f"key {AWS_KEY}"})
    padded = {f"k{i}": [f"token {GITHUB_TOKEN[:-4]}{i:04d}"] for i in range(3_000)}
    refused = queue.decide("rv-1", "ann", VerdictKind.MODIFY, at(2), comment="redacted",
                           modified_output=padded)
    assert isinstance(refused, Refusal) and refused.status == 422
    assert refused.message.count("CREDENTIAL at") == 10 and "and 2990 more" in refused.message
    assert "CREDENTIAL at k0[*] (rule credentials-quarantine)" in refused.message  # patterns
    assert len(refused.message) < 2_000


def test_nesting_is_counted_as_in_a_json_text() -> None:
    assert not nesting_over("text", 0)
    assert not nesting_over({"a": [1, {"b": 2}]}, 3)
    assert nesting_over({"a": [1, {"b": 2}]}, 2)
    deep: object = "leaf"
    for _ in range(100_000):  # far past Python's recursion limit: walked without recursion
        deep = [deep]
    assert nesting_over(deep, 64) and not nesting_over(deep, 100_000)


def test_a_modify_over_the_policys_value_or_size_limits_is_refused(queue: ReviewQueue) -> None:
    """A reviewer's edit is bounded like any result: more values than `limits.max_values`, or
    more bytes than `limits.max_payload_bytes`, is refused (the item stays claimed)."""
    claimed(queue, {"log": "held"})
    limits = queue.check.policy.policy.limits
    many = {"rows": [0] * limits.max_values}
    refused = queue.decide("rv-1", "ann", VerdictKind.MODIFY, at(2), comment="cut",
                           modified_output=many)
    assert isinstance(refused, Refusal) and refused.status == 422
    assert f"limits.max_values ({limits.max_values})" in refused.message
    large = {"log": "deploy ok " * (limits.max_payload_bytes // 10)}
    refused = queue.decide("rv-1", "ann", VerdictKind.MODIFY, at(2), comment="cut",
                           modified_output=large)
    assert isinstance(refused, Refusal) and "limits.max_payload_bytes" in refused.message
    assert queue.state.entries["rv-1"].outcome is None

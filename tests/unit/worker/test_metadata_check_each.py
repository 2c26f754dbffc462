"""The metadata check of a stream of results, with its memory of clean values, rejects exactly
the results (and with exactly the reasons) that a check of each result's whole metadata by a
scanner that remembers nothing rejects: secrets and personal identifiers in any field, alone or
beside values seen clean before, in batches that repeat and mix them."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import load_policy, shipped_policy_path
from policies.action_result import ActionResult
from streams.worker import metadata_scan
from streams.worker.metadata_scan import MetadataScanner
from tests.unit.worker.test_metadata_secrets import SECRETS, ordinary_ids

POLICY = load_policy(shipped_policy_path("default"))
ORDINARY = random.Random(5).sample(ordinary_ids(), 60)
SENSITIVE = [value for _, value, _ in SECRETS]
VALUES = st.sampled_from(ORDINARY + SENSITIVE)
RESULTS = st.builds(
    lambda job, agent, action, tenant, trace, tags: ActionResult.model_validate({
        "job_id": job, "agent_id": agent, "action": action, "output": None,
        **({"tenant": tenant} if tenant else {}), **({"trace_id": trace} if trace else {}),
        **({"risk_tags": tags} if tags else {})}),
    VALUES, VALUES, VALUES, st.none() | VALUES, st.none() | VALUES,
    st.lists(VALUES, max_size=3))


def _metadata(result: ActionResult) -> dict[str, object]:
    """Every metadata field the result has, as the check has always scanned them."""
    fields: dict[str, object] = {name: getattr(result, name)
                                 for name in ("job_id", "agent_id", "action", "tenant",
                                              "trace_id") if getattr(result, name) is not None}
    if result.risk_tags:
        fields["risk_tags"] = list(result.risk_tags)
    return fields


SCANNER = MetadataScanner(POLICY)  # one for every example: its memory carries over, as a worker's
REFERENCE = MetadataScanner(POLICY)


def _without_memory(result: ActionResult) -> metadata_scan.Rejected | None:
    REFERENCE._clean.clear()  # noqa: SLF001 - the reference scans every field each time
    found = REFERENCE.findings(_metadata(result))
    return metadata_scan._rejected(found) if found else None  # noqa: SLF001 - its reasons


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(RESULTS, min_size=1, max_size=8), min_size=1, max_size=4))
def test_the_check_rejects_what_a_check_without_memory_rejects(
        batches: list[list[ActionResult]]) -> None:
    for batch in batches:
        assert SCANNER.check_each(batch) == [_without_memory(r) for r in batch]

"""The metadata check reads each string field alone, as a plain identifier
(`DetectorEngine.scan_identifier`), and the risk tags together: it finds exactly what one scan
of all the fields finds, so it rejects the same results with the same reasons."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.finding import Finding
from detectors.plain_identifier import is_plain
from policies import load_policy, shipped_policy_path
from policies.action_result import ActionResult
from streams.worker import metadata_scan
from streams.worker.metadata_scan import MetadataScanner
from tests.unit.detectors.test_plain_identifier import IDENTIFIERS
from tests.unit.worker.test_metadata_secrets import SECRETS

POLICY = load_policy(shipped_policy_path("default"))
# the identifier format of every metadata field (`policies.action_result`)
VALUES = IDENTIFIERS.map(lambda text: text[:64].lstrip("._:-")).filter(
    lambda text: text != "" and is_plain(text)) | st.sampled_from([v for _, v, _ in SECRETS])
RESULTS = st.builds(
    lambda job, agent, action, tenant, trace, tags: ActionResult.model_validate({
        "job_id": job, "agent_id": agent, "action": action, "output": None,
        **({"tenant": tenant} if tenant else {}), **({"trace_id": trace} if trace else {}),
        **({"risk_tags": tags} if tags else {})}),
    VALUES, VALUES, VALUES, st.none() | VALUES, st.none() | VALUES,
    st.lists(VALUES, max_size=3))


class WholeScan(MetadataScanner):
    """The check as it was: one engine scan of all of a result's unknown fields."""

    def _scanned(self, fields: dict[str, Any]) -> list[Finding]:
        return self._engine.scan(fields)


def _sorted(found: list[Finding]) -> list[Finding]:
    return sorted(found, key=lambda f: (f.path, f.start, f.end, f.entity, f.detector, f.score))


SCANNER, REFERENCE = MetadataScanner(POLICY), WholeScan(POLICY)


@settings(max_examples=200, deadline=None)
@given(st.lists(RESULTS, min_size=1, max_size=6))
def test_the_check_finds_what_one_scan_of_all_fields_finds(results: list[ActionResult]) -> None:
    metadata = [metadata_scan._metadata(r) for r in results]  # noqa: SLF001 - the check's fields
    assert ([_sorted(found) for found in SCANNER.findings_each(metadata)]
            == [_sorted(found) for found in REFERENCE.findings_each(metadata)])
    assert SCANNER.check_each(results) == REFERENCE.check_each(results)


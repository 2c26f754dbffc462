"""ONEPASSWORD_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.onepassword import ONEPASSWORD_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIsInVzZXJBdXRoIjp7Im1ldGhvZCI6IlNSUGctNDA5NiIsImFsZyI6IlBCRVMyZy1IUzI1NiJ9fQ', None, ['ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIsInVzZXJBdXRoIjp7Im1ldGhvZCI6IlNSUGctNDA5NiIsImFsZyI6IlBCRVMyZy1IUzI1NiJ9fQ']),
    ('A3-ASWWYB-798JRYLJVD4-23DC2-86TVM-H43EB', None, ['A3-ASWWYB-798JRYLJVD4-23DC2-86TVM-H43EB']),
    ('ops_eyJ', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ONEPASSWORD_TOKEN, text, key) == expected

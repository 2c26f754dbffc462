"""SIDEKIQ_CREDENTIAL: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.sidekiq import SIDEKIQ_CREDENTIAL
from tests.unit.detectors.conftest import found

CASES = [
    ('export BUNDLE_ENTERPRISE__CONTRIBSYS__COM=9f3a61c0:07bd55e2', None, ['9f3a61c0:07bd55e2']),
    ('BUNDLE_GEMS__CONTRIBSYS__COM: "4c7e0a9b:e2d81f36"', None, ['4c7e0a9b:e2d81f36']),
    # near misses
    ('BUNDLE_GEMS__CONTRIBSYS__COM: ${SIDEKIQ_CREDS}', None, []),
    ('BUNDLE_JOBS=4', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SIDEKIQ_CREDENTIAL, text, key) == expected

"""ARTIFACTORY_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.artifactory import ARTIFACTORY_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('X-JFrog-Art-Api: AKCpW1W5bSapfQ7Dh3yEg42ipqnX1fkkjbd93oQGXy9KTUMAFGrM14gENAsIrsD3mbLFecbVj', None, ['AKCpW1W5bSapfQ7Dh3yEg42ipqnX1fkkjbd93oQGXy9KTUMAFGrM14gENAsIrsD3mbLFecbVj']),
    ('token=cmVmdGtuafQ4gGnRfXBkg8QysD4FIS0Xzm41PB2qs353f2Huu6mXrxWUREVXXPHz', None, ['cmVmdGtuafQ4gGnRfXBkg8QysD4FIS0Xzm41PB2qs353f2Huu6mXrxWUREVXXPHz']),
    # near misses
    ('AKCp', None, []),
    ('AKCpShort123', None, []),
    ('cmVmdGtuOjAx', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ARTIFACTORY_TOKEN, text, key) == expected

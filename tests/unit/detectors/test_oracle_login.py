"""ORACLE_LOGIN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.oracle_login import ORACLE_LOGIN
from tests.unit.detectors.conftest import found

CASES = [
    ('jdbc:oracle:thin:scott/Rocket2022.@oracle.internal:1521:ORCL', None, ['Rocket2022.']),
    ('sqlplus system/Garden167?@//oracle.internal:1521/XEPDB1', None, ['Garden167?']),
    ('expdp system/tiger-maple-garden30@orcl schemas=hr', None, ['tiger-maple-garden30']),
    ('sqlplus /nolog', None, []),
    ('sqlplus system/${ORACLE_PASSWORD}@orcl', None, []),
    ('jdbc:oracle:thin:@oracle.internal:1521:ORCL', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ORACLE_LOGIN, text, key) == expected

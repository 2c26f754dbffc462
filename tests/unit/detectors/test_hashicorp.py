"""HASHICORP_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.hashicorp import HASHICORP_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('VAULT_TOKEN=hvs.CAESIP2jTxc9S2K7Z6CtcFWQv7-044m_oSsxnPE1H3nF89l3GiYKHGh2cy5sQmlIZVNyTWJNcDRsYWJpQjlhYjVlb1cQh6PL8wEYAg', None, ['hvs.CAESIP2jTxc9S2K7Z6CtcFWQv7-044m_oSsxnPE1H3nF89l3GiYKHGh2cy5sQmlIZVNyTWJNcDRsYWJpQjlhYjVlb1cQh6PL8wEYAg']),
    ('token: s.ZC9Ecf4M5g9o34Q6RkzGsj0z', None, ['s.ZC9Ecf4M5g9o34Q6RkzGsj0z']),
    ('TFE_TOKEN=q8zr2lmx0vt7nb.atlasv1.q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr', None, ['q8zr2lmx0vt7nb.atlasv1.q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr']),
    ('s.AcceptanceTimeoutSeconds = 5', None, []),
    ('s.makeKubeConfigController = args', None, []),
    ('hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(HASHICORP_TOKEN, text, key) == expected

"""XML_CREDENTIAL: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.xml_credential import XML_CREDENTIAL
from tests.unit.detectors.conftest import found

CASES = [
    ("<apiToken>\n    q8Zr2LmX0vT7nB4kW1yP\n</apiToken>", None, ["q8Zr2LmX0vT7nB4kW1yP"]),
    ('<password>Silver673#</password>', None, ['Silver673#']),
    ('<add key="DbPassword" value="4tR6KR6^Vzv7" />', None, ['4tR6KR6^Vzv7']),
    ('<add key="ApiSecret" value="lp5jC0yZwhPRCdeTeZNgQHqSuWoTde0y" />', None,
     ['lp5jC0yZwhPRCdeTeZNgQHqSuWoTde0y']),
    ('<property name="hibernate.connection.password" value="summer-falcon-garden97"/>', None,
     ['summer-falcon-garden97']),
    ('<entry key="smtp.password">garden-monkey-dragon33</entry>', None,
     ['garden-monkey-dragon33']),
    ('<password>${env.DEPLOY_PASSWORD}</password>', None, []),
    ('<passwordPolicy minLength="12" />', None, []),
    ('<add key="PageSize" value="50" />', None, []),
    ('<keyName>orders-signing</keyName>', None, []),
    ('<password></password>', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(XML_CREDENTIAL, text, key) == expected

"""AUTHORIZATION_HEADER: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.authorization_header import AUTHORIZATION_HEADER
from tests.unit.detectors.conftest import found

CASES = [
    ("curl -H 'Authorization:  7d2f9c1e-4b8a-4f0e-9a3c-1e5b7d9f2a4c'", None,
     ["7d2f9c1e-4b8a-4f0e-9a3c-1e5b7d9f2a4c"]),
    ('-H "Authorization: Api-Token 9f3a61c007bd55e24c7e0a9be2d81f36"', None,
     ["9f3a61c007bd55e24c7e0a9be2d81f36"]),
    ("Authorization: Bearer " + "Qz8" * 120, None, ["Qz8" * 120]),
    ("authorization: required", None, []),
    ('Authorization: Basic YWRtaW46d2ludGVyLW1vbmtleS1oYXJib3IyMA==', None,
     ['YWRtaW46d2ludGVyLW1vbmtleS1oYXJib3IyMA==']),
    ('authorization: Bearer 5LB5aww13CqMgVBTP56vC70m', None, ['5LB5aww13CqMgVBTP56vC70m']),
    ("{'Authorization': 'token mTnWQ5KYe3q6fZmoitSN2XCqJEhS3Pn3', 'Accept': '*/*'}", None,
     ['mTnWQ5KYe3q6fZmoitSN2XCqJEhS3Pn3']),
    ('curl -H "Authorization: Bearer xGyHPTcnO5pCgwB82hf634xe" https://api', None,
     ['xGyHPTcnO5pCgwB82hf634xe']),
    ('X-API-Key: S5LaMlwmLob9v5ie5vyULwdB', None, ['S5LaMlwmLob9v5ie5vyULwdB']),
    ('Authorization: Bearer <token>', None, []),
    ('WWW-Authenticate: Basic realm="internal"', None, []),
    ('the Authorization header is missing', None, []),
    ('Authorization: Bearer ${TOKEN}', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AUTHORIZATION_HEADER, text, key) == expected

"""CREDENTIAL_CALL: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.credential_call import CREDENTIAL_CALL
from tests.unit.detectors.conftest import found

CASES = [
    ('dataSource.setPassword("winter-maple-velvet51");', None, ['winter-maple-velvet51']),
    ('resp = requests.get(url, auth=("admin", "KSB*CbSMDgLM^n6cGR0"))', None,
     ['KSB*CbSMDgLM^n6cGR0']),
    ("session.auth = HTTPBasicAuth('svc', 'Summer1581#')", None, ['Summer1581#']),
    ('var cred = new NetworkCredential("svc", "rocket-orange-silver14");', None,
     ['rocket-orange-silver14']),
    ("define('DB_PASSWORD', 'copper-castle-velvet42');", None, ['copper-castle-velvet42']),
    ('props.put("mail.smtp.password", "Harbor1909?");', None, ['Harbor1909?']),
    ('smtp.login("reports@corp.example", "Tiger800!x")', None, ['Tiger800!x']),
    ('dataSource.setPassword(System.getenv("DB_PASSWORD"));', None, []),
    ('setPassword("")', None, []),
    ("define('WP_DEBUG', false);", None, []),
    ('auth=(user, password)', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CREDENTIAL_CALL, text, key) == expected

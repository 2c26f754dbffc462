"""PASSWORD_ASSIGNMENT: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.password_assignment import PASSWORD_ASSIGNMENT
from tests.unit.detectors.conftest import found

CASES = [
    # Make, PHP and Go assignments; a bare value inside JSON ends at an escaped line break
    ('DEPLOY_TOKEN ::= "q8Zr2LmX0vT7nB4kW1yP"', None, ['q8Zr2LmX0vT7nB4kW1yP']),
    ('DEPLOY_TOKEN ?= "q8Zr2LmX0vT7nB4kW1yP"', None, ['q8Zr2LmX0vT7nB4kW1yP']),
    ('$deployToken .= "q8Zr2LmX0vT7nB4kW1yP";', None, ['q8Zr2LmX0vT7nB4kW1yP']),
    ('var deployToken string = "q8Zr2LmX0vT7nB4kW1yP"', None, ['q8Zr2LmX0vT7nB4kW1yP']),
    ('{"app.env": "DEPLOY_TOKEN=q8zr2lmx0vt7nb4kw1yp\\nDEBUG=false"}', None,
     ['q8zr2lmx0vt7nb4kw1yp']),
    # a vendor token written like an identifier; a long numeric client secret
    ('shipToken = "ship_live_7c1e9a0b44d28f6a90c3e5b1d27f48a9c0e6b3d1"', None,
     ['ship_live_7c1e9a0b44d28f6a90c3e5b1d27f48a9c0e6b3d1']),
    ('clientSecret: "40718259366142870315"', None, ['40718259366142870315']),
    ('session_token = "user_session_cookie_name"', None, []),
    ('order_token: "1111111111111111"', None, []),
    ('login ok password=Xk9#mQ2$vL7p host=a', None, ['Xk9#mQ2$vL7p']),
    ('DB_PASSWORD=Summer2024!', None, ['Summer2024!']),
    ('spring.datasource.password: maple118GEuh', None, ['maple118GEuh']),
    ('conn = connect(host="db", user="app", password="tiger-maple-garden30")', None,
     ['tiger-maple-garden30']),
    ("$config['db_pass'] => 'Falcon1529!';", None, ['Falcon1529!']),
    ('\tPassword := "Velvet1716#"', None, ['Velvet1716#']),
    ('Server=sql;User Id=app;Password=castle071Dd3y;', None, ['castle071Dd3y']),
    ('client_secret = "q8Zr2LmX0vT7nB4kW1yP"', None, ['q8Zr2LmX0vT7nB4kW1yP']),
    ('"apiKey": "a8f5f167f44f4964e6c998dee827110c"', None, ['a8f5f167f44f4964e6c998dee827110c']),
    # references, placeholders and code are not credentials
    ('password=changeme123', None, []),
    ('password: ${DB_PASSWORD}', None, []),
    ('password = os.environ["DB_PASSWORD"]', None, []),
    ('password = getpass.getpass("Password: ")', None, []),
    ('self.password = password', None, []),
    ('password = bytes(memoryview(password))', None, []),
    ('if not password: raise ValueError("password required")', None, []),
    ('api_key = settings.API_KEY', None, []),
    ('token: aaaaaaaa', None, []),
    ('token_ttl: 3600', None, []),
    ('password_min_length: 12', None, []),
    ('PASSWORD_RESET_URL=https://app.example.com/reset', None, []),
    ('proxy_auth_hdr = "Proxy-Authorization"', None, []),
    ('secret_name: orders-db-credentials', None, []),
    ("cache_key = 'user:1234'", None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PASSWORD_ASSIGNMENT, text, key) == expected

"""Fixtures of the integration tests beyond the shared ones in tests/conftest.py."""

from tests.console_browser import browser  # noqa: F401 - a fixture, found by pytest here
from tests.review_service import start_review  # noqa: F401 - a fixture, found by pytest here
from tests.schema_registry import schema_registry  # noqa: F401 - a fixture, as above
from tests.secure_kafka import (  # noqa: F401 - fixtures, as above
    secure_broker,
    secure_cluster,
    secure_login,
)

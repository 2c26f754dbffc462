"""FACEBOOK_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.facebook import FACEBOOK_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('access_token=EAAGWs77hSx91HqaksrCoAqUvlPaJQ5WE2RlTZQcYTbYTTBPynZzih6tZg1v6tnOLD5pIrRzgiQXbhGLbitAhCrNipR0HjXFZfTvMUHoXTBzyTzbmncNnz5BhgJjH3LZ7wM6GKHVjk9tCSi5eIeeaAXZY7rzsj6HoV5D', None, ['EAAGWs77hSx91HqaksrCoAqUvlPaJQ5WE2RlTZQcYTbYTTBPynZzih6tZg1v6tnOLD5pIrRzgiQXbhGLbitAhCrNipR0HjXFZfTvMUHoXTBzyTzbmncNnz5BhgJjH3LZ7wM6GKHVjk9tCSi5eIeeaAXZY7rzsj6HoV5D']),
    # near misses
    ('EAAG0bA2DAzqx2T4Rc1hotdHNYgt0sgCWBn1Bue6bsBu', None, []),
    ('EAASY', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(FACEBOOK_TOKEN, text, key) == expected

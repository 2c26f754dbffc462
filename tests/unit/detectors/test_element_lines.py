"""XML elements named for a credential, with the value on an item of its own in a list of
lines: the value is reported; other elements, placeholders and names are not."""

from __future__ import annotations

import pytest

from detectors import DetectorEngine
from detectors.walker import string_leaves


@pytest.fixture(scope="module")
def engine() -> DetectorEngine:
    return DetectorEngine(entities={"CREDENTIAL"})


def _flagged(engine: DetectorEngine, lines: list[str]) -> list[str]:
    value = {"path": "settings.xml", "lines": lines}
    texts = {leaf.path: leaf.text for leaf in string_leaves(value)}
    return sorted(texts[f.path][f.start:f.end] for f in engine.scan(value))


@pytest.mark.parametrize(("lines", "expected"), [
    (["<server>", "  <apiToken>", "    q8Zr2LmX0vT7nB4kW1yP", "  </apiToken>", "</server>"],
     ["q8Zr2LmX0vT7nB4kW1yP"]),
    (["<password>", "  Falcon1529!", "</password>"], ["Falcon1529!"]),
    (["<ns:ClientSecret>", "7c1e9a0b44d28f6a90c3e5b1d27f48a9", "</ns:ClientSecret>"],
     ["7c1e9a0b44d28f6a90c3e5b1d27f48a9"]),
    # not a credential's element, a placeholder, a name, no closing tag of the same name
    (["<username>", "  deploy-bot-7", "</username>"], []),
    (["<password>", "  ${env.DEPLOY_PASSWORD}", "</password>"], []),
    (["<apiToken>", "  token-name", "</apiToken>"], []),
    (["<apiToken>", "  q8Zr2LmX0vT7nB4kW1yP", "</other>"], []),
])
def test_a_value_alone_between_credential_tags_is_reported(
        engine: DetectorEngine, lines: list[str], expected: list[str]) -> None:
    assert _flagged(engine, lines) == expected

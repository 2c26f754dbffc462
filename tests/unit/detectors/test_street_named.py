"""STREET_NAMED: streets named in prose without a known street type (positives) and the
sentences that look like them (near misses)."""

import pytest

from detectors.patterns.street_named import STREET_NAMED
from tests.unit.detectors.conftest import found

CASES = [
    # before the word `street`
    ('She lives on Kálvária 14 street.', None, ['Kálvária 14']),
    ('The title refers to C/ Mayor 12 street in Teruel.', None, ['C/ Mayor 12']),
    ('He lives on 8 rue de la Paix street now', None, ['8 rue de la Paix']),
    ('cyclists should turn on váci út 41. st. first', None, ['váci út 41.']),
    # a house number after two or three capitalised words, after `is on`, `side of`
    ('The bakery is on Na Příkopě 1283.', None, ['Na Příkopě 1283']),
    ('The studio is on the east side of Jan Pietersz 88, near the park', None, ['Jan Pietersz 88']),
    # a capitalised name before Street / Avenue / Road
    ('the early shows on Elm Grove Street were important', None, ['Elm Grove Street']),
    # two streets, the second numbered
    ('Please return to Leona and Hafnarstræti 23 in case of an issue.', None,
     ['Leona and Hafnarstræti 23']),
    ('Acme GmbH\nMilan and ul. Słoneczna 17', None, ['Milan and ul. Słoneczna 17']),
    ('The office is at Vilma and Andrássy u. 15.', None, ['Vilma and Andrássy u. 15.']),
    # near misses
    ('The app is on Windows 11.', None, []),
    ('It runs on Windows Server 2019.', None, []),
    ('I have lived on 3 different streets', None, []),
    ('we walked along the street', None, []),
    ('He moved to Paris and Rome 2019.', None, []),
    ('talked to Alice and Bob 2 times', None, []),
    ('based on page 12 of the street guide', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_NAMED, text, key) == expected

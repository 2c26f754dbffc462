"""NATIONALITY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.nationality import NATIONALITY
from tests.unit.detectors.conftest import found

CASES = [
    ('She is Kenyan and works from home.', None, ['Kenyan']),
    ('a team of proud kenyans', None, ['kenyans']),
    ('Two South Africans joined the call.', None, ['South Africans']),
    ('my landlord is a swede', None, []),
    ('The Swede on the team', None, ['Swede']),
    ('Englishmen abroad', None, ['Englishmen']),
    ('Services for Buddhists and Sikhs', None, ['Buddhists', 'Sikhs']),
    ('i am vietnamese, living in Lyon', None, ['vietnamese']),
    ('NEW ZEALANDERS ONLY', None, ['NEW ZEALANDERS']),
    # everyday words, other words containing a demonym, mixed case
    ('polish the release notes', None, []),
    ('Please pole the tent', None, []),
    ('a liberal use of caching', None, []),
    ('the Thailand office', None, []),
    ('kenYan', None, []),
    ('user@german.example', None, []),
    ('the European Union and the Polish Embassy', None, []),
    # languages, not peoples
    ('she took a degree while studying Portuguese and law', None, []),
    ('he speaks fluent french at work', None, []),
    ('the manual is written in German', None, []),
    ('our Japanese class starts at nine', None, []),
    ('we met proud Kenyans in Swedish towns', None, ['Kenyans', 'Swedish']),
    # issue 14: the forms people write that the lists lack, and peoples beyond the countries'
    # demonyms: a plural made with `s` whatever the word, `-ean` and `-ian` for each other
    ('we are proud japaneses', None, ['japaneses']),
    ('We are proud Englishmans', None, ['Englishmans']),
    ('i am belizian but live abroad', None, ['belizian']),
    ('an Argentinian cook', None, ['Argentinian']),
    ('it serves great Greenlander food', None, ['Greenlander']),
    ('my neighbours are kazakhs', None, ['kazakhs']),
    ('two Presbyterians and a Quaker', None, ['Presbyterians', 'Quaker']),
    ('a platform agnostic design', None, []),
    ('vendor-agnostic storage', None, []),
    ('the Nordic ski team', None, ['Nordic']),
    ('a nordic walking pole', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(NATIONALITY, text, key) == expected

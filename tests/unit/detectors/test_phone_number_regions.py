"""PHONE_NUMBER_REGIONS: numbers of many countries, checked by libphonenumber; national forms
only with evidence (a word before, a label after, a phone key). A leaf without a phone key,
a `+`, a `00`, a context word or a label is not read at all: it must find what reading every
candidate finds."""

from dataclasses import dataclass, fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.patterns.phone_number_regions import (
    PHONE_NUMBER_REGIONS,
    PhoneNumberRegionsDetector,
)
from detectors.walker import Leaf
from tests.unit.detectors.conftest import found

CASES = [
    ('Desk: +41 (0)96 471 07 95', None, ['+41 (0)96 471 07 95']),
    ('+46 (0)8 928 571 38 fax', None, ['+46 (0)8 928 571 38']),
    ('reach me on 0044 20 7946 0958 tomorrow', None, ['0044 20 7946 0958']),
    ('416 60 039 office', None, ['416 60 039']),
    ('(37) 788-063-Office', None, ['(37) 788-063']),
    ('07700 063 966-Fax', None, ['07700 063 966']),
    ('Mobile: 03.93.92.16.85', None, ['03.93.92.16.85']),
    ('0961-7596216', 'phone', ['0961-7596216']),
    ("no message on my registered 030 901 820 40. Could you look", None, ['030 901 820 40']),
    ("didn't get any text on my registered 0912-3456789.", None, ['0912-3456789']),
    # a phone number's name in other languages
    ('Tél : 01 84 17 61 18', None, ['01 84 17 61 18']),
    ('tlf. 22 48 19 37', None, ['22 48 19 37']),
    ('puh. 040 718 2293', None, ['040 718 2293']),
    ('Handy 0171 4829371', None, ['0171 4829371']),
    ('móvil: 612 48 93 71', None, ['612 48 93 71']),
    ('電話 03-5812-4471', None, ['03-5812-4471']),
    ('sđt 0912 483 716', None, ['0912 483 716']),
    # national forms without evidence, and numbers that are not phone numbers
    ('invoice 0961-7596216 is paid', None, []),
    ('7307943 is lost, can you please send a new one', None, []),
    ('Order 2024-05-01 shipped', None, []),
    ('+1 2', None, []),
    ('version 1.2.3.4.5.6.7 released', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PHONE_NUMBER_REGIONS, text, key) == expected


@dataclass(frozen=True)
class _Ungated(PhoneNumberRegionsDetector):
    """The detector reading every candidate, and searching for context words before each, as
    before its leaf's gates (`_may_be_phone`, and `_any_word` read once per text)."""

    def _may_be_phone(self, text: str, lowered: str) -> bool:
        return True

    def _any_word(self, lowered: str) -> bool:
        return True


UNGATED = _Ungated(**{f.name: getattr(PHONE_NUMBER_REGIONS, f.name)
                      for f in fields(PHONE_NUMBER_REGIONS)})
# Digit runs as numbers of many kinds are written, the signs of the international form, the
# context words and labels that are evidence (in any case, in other scripts), and other text
PIECES = ["0961-7596216", "416 60 039", "(37) 788-063", "4111 1111 1111 1111", "219-09-9999",
          "re_814049802", "2026-11-21T10:00:00Z", "+", "(+", "00", "0", "41", " ", "-", ".",
          "/", "\n", "Phone", "tel", "Tél", "電話", "TEXT ME", "office", "-Fax", " desk", " home",
          "-Work", "ring", "x", "ext. 12", "invoice", "é", "İ", "Σ"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=10).map("".join) | st.text(max_size=30)


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.sampled_from([None, "phone", "note", "card_number", "contact"]))
def test_the_leaf_gate_drops_no_finding(text: str, key: str | None) -> None:
    leaf = Leaf("$.v", key, text)
    assert (list(PHONE_NUMBER_REGIONS.find(leaf, text.lower()))
            == list(UNGATED.find(leaf, text.lower())))


def test_digit_runs_without_evidence_or_international_sign_are_not_read() -> None:
    assert not PHONE_NUMBER_REGIONS._may_be_phone("4111 1111 1111 1111", "4111 1111 1111 1111")
    assert PHONE_NUMBER_REGIONS._may_be_phone("call 0961-7596216", "call 0961-7596216")
    assert PHONE_NUMBER_REGIONS._may_be_phone("0961-7596216 office", "0961-7596216 office")
    assert PHONE_NUMBER_REGIONS._may_be_phone("+41 52 318 64 20", "+41 52 318 64 20")

"""The reversed reading spares a reader the texts it cannot find anything in: a detector that
reads only under its key (nine bare digits under `ssn`) reads a text backwards only when its
pattern finds something in the text as written (`SAME_BACKWARDS`: it matches a reversed text
exactly where it matches the text), and `credit-card-short` only a text holding a 12-digit
scheme's prefix backwards. The engine must find what it finds when every reader reads every
text: reversed SSNs and cards alone, grouped, embedded in text, beside separators, digits of
other scripts and long texts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors import DetectorEngine
from detectors.card_issuers import issuer_prefixes
from detectors.linear import LinearRegex
from detectors.patterns.credit_card import CREDIT_CARD_SHORT
from detectors.patterns.us_ssn import US_SSN_UNDER_KEY
from detectors.reversed import SAME_BACKWARDS, ReversedReading
from detectors.walker import Leaf
from policies import load_policy, shipped_policy_path
from streams.demo_data import generate
from streams.worker.policy_reload import engine_for
from tests.unit.detectors.conftest import scan_outcome

# Nine-digit SSNs a real number could be (area 001-899 but 666, group 01-99, serial 0001-9999),
# as written and backwards
SSNS = st.builds(lambda area, group, serial: f"{area:03d}{group:02d}{serial:04d}",
                 st.integers(1, 899).filter(lambda area: area != 666), st.integers(1, 99),
                 st.integers(1, 9999))


def _with_check_digit(digits: str) -> str:
    """`digits` and the digit that makes the Luhn check hold."""
    total = sum(sum(divmod(int(d) * (2 if i % 2 == 0 else 1), 10))
                for i, d in enumerate(reversed(digits)))
    return digits + str(-total % 10)


# Card numbers of 12 to 16 digits with a valid check digit, many in the schemes that issue
# 12-digit cards (`5018…`, `6761…`)
CARDS = st.builds(lambda prefix, rest: _with_check_digit(prefix + rest),
                  st.sampled_from(sorted(issuer_prefixes(12))) | st.sampled_from(["4", "51", "6"]),
                  st.sampled_from([7, 7, 7, 11]).flatmap(
                      lambda size: st.text(alphabet="0123456789", min_size=size, max_size=size)))
GROUPED = CARDS.flatmap(lambda card: st.sampled_from(
    [card, " ".join(card[i:i + 4] for i in range(0, len(card), 4)),
     "-".join(card[i:i + 4] for i in range(0, len(card), 4))]))
PIECES = st.one_of(
    GROUPED, GROUPED.map(lambda card: card[::-1]), st.just("card "), st.just(" cc: "),
    SSNS, SSNS.map(lambda ssn: ssn[::-1]),
    SSNS.map(lambda ssn: f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}"[::-1]),
    st.text(alphabet="0123456789", min_size=7, max_size=12),
    st.sampled_from(["-", " ", ".", "--", "\n", "/", "+", "x", "ssn ", "٣", "２", "²", "\u00a0",
                     "\u200b", "電話", "é", "\ud800", "n:", "=", "#"]),
    st.text(max_size=12),
)
TEXTS = st.lists(PIECES, max_size=10).map("".join) | st.builds(
    lambda filler, ssn, times: filler * times + ssn[::-1] + filler * times,
    st.text(min_size=1, max_size=8), SSNS, st.integers(1, 300))  # long texts
KEYS = st.sampled_from(["ssn", "SSN", "social_security", "customer_ssn", "ssn_last",
                        "social_security_number", "note", "card", "card_number", "pan",
                        "phone"])
VALUES = st.dictionaries(KEYS, TEXTS | st.lists(TEXTS, max_size=3), min_size=1, max_size=3)


def _ungated(engine: DetectorEngine) -> DetectorEngine:
    """The engine with every reader of the reversed reading reading every text it is given."""
    engine._reversed = ReversedReading(engine._detectors, gated=False)
    return engine


@pytest.fixture(scope="module")
def engines() -> dict[str, tuple[DetectorEngine, DetectorEngine]]:
    default = load_policy(shipped_policy_path("default"))
    return {"every entity": (DetectorEngine(ner_model=None),
                             _ungated(DetectorEngine(ner_model=None))),
            "default policy": (engine_for(default),
                               _ungated(engine_for(default)))}


def test_the_ssn_under_its_key_is_read_backwards_only_where_it_can_be_found() -> None:
    assert US_SSN_UNDER_KEY.pattern.pattern in SAME_BACKWARDS
    reading = ReversedReading([US_SSN_UNDER_KEY])
    assert not reading.may_hold(Leaf("$.ssn", "ssn", "583-93-7219", "string"))
    assert reading.may_hold(Leaf("$.ssn", "ssn", "id 912793385 ok", "string"))
    found = reading.findings(Leaf("$.ssn", "ssn", "id 912793385 ok", "string"))
    assert [(f.start, f.end, f.detector) for f in found] == [(3, 12, "reversed:us-ssn-keyed")]


def test_a_twelve_digit_card_is_read_backwards_only_where_it_can_be_kept() -> None:
    maestro = "501800000009"  # a 12-digit test number of a scheme that issues 12 digits
    reading = ReversedReading([CREDIT_CARD_SHORT])
    found = reading.findings(Leaf("$.card", "card", f"ref {maestro[::-1]}", "string"))
    assert [(f.start, f.end, f.detector) for f in found] == [(4, 16, "reversed:credit-card-short")]
    assert reading.findings(Leaf("$.card", "card", "ref 900000008105", "string"))
    assert not reading.findings(Leaf("$.card", "card", "ref 900000007105", "string"))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_same_backwards_pattern_finds_a_text_backwards_exactly_where_it_finds_it(
        text: str) -> None:
    for pattern in SAME_BACKWARDS:
        regex = LinearRegex(pattern)
        assert (regex.search(text) is None) == (regex.search(text[::-1]) is None), text


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_the_engine_finds_what_it_finds_ungated_backwards(
        engines: dict[str, tuple[DetectorEngine, DetectorEngine]], value: Any) -> None:
    for gated, reading_all in engines.values():
        assert scan_outcome(gated, value) == scan_outcome(reading_all, value)



def test_the_demo_mix_finds_the_same_ungated_backwards(
        engines: dict[str, tuple[DetectorEngine, DetectorEngine]]) -> None:
    outputs = [json.loads(r.value)["output"] for r in generate(300, "keyed", malformed_every=0)]
    reversed_ssns = [{**customer, "ssn": customer["ssn"][::-1].replace("-", ""),
                      "card": f"card 5018{customer['ssn'][::-1].replace('-', '')[:8]}"[::-1]}
                     for output in outputs if isinstance(output.get("response"), dict)
                     for customer in output["response"]["customers"]
                     if "ssn" in customer]
    assert reversed_ssns
    for name, (gated, reading_all) in engines.items():
        for values in (outputs, reversed_ssns, outputs):  # the last through the engines' memories
            assert gated.scan_batch(values) == reading_all.scan_batch(values), name
        assert any(f.detector == "reversed:us-ssn-keyed"
                   for found in gated.scan_batch(reversed_ssns) for f in found), name

"""A value whose exact span an earlier detector of the same leaf already found, at the same score
or higher, is not validated again (`detectors.pattern.Decided`: no libphonenumber parse after
`phone-number`, no checksum). The findings must be those of an engine that validates every
value, whatever detectors agree on a span, and a weak finding that NER may still overrule
(`defers_to_ner`) must never stand in for another."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from detectors import DetectorEngine
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from policies import load_policy, shipped_policy_path
from streams.demo_data import generate
from streams.worker.policy_reload import engine_for


def _validating_all(engine: DetectorEngine) -> DetectorEngine:
    engine._reads_decided = frozenset()  # every value validated, as before `Decided`
    return engine


@pytest.fixture(scope="module")
def engines() -> tuple[DetectorEngine, DetectorEngine]:
    return DetectorEngine(ner_model=None), _validating_all(DetectorEngine(ner_model=None))


# Values several detectors find with the same span (phones, SSNs, cards, IBANs), under keys
# that are evidence for some of them, in prose and alone.
TEXTS = st.sampled_from([
    "(415) 555-0132", "415-555-0132", "+44 20 7946 0321", "0044 20 7946 0321", "030 901 820 40",
    "call me on 07700 900 461", "fax: +41 (0)52 318 64 20", "219-09-9999", "219 09 9999",
    "4111 1111 1111 1111", "5500-0000-0000-0004", "6759 6498 2643", "DE89370400440532013000",
    "reach Tomasz at +48 512 334 918 or tomasz@corp.example", "ssn 219-09-9999 phone 219-09-9999",
    "10.0.0.1", "sent", "Your refund is on its way", "my number is 415.555.0132 ext 12",
])
KEYS = st.sampled_from(["phone", "mobile", "ssn", "card", "note", "status", "contact", "iban"])
VALUES = st.recursive(TEXTS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(KEYS, inner, max_size=3), max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_skipped_validations_change_no_finding(
        engines: tuple[DetectorEngine, DetectorEngine], value: Any) -> None:
    deciding, validating = engines
    assert deciding.scan(value, "acme") == validating.scan(value, "acme")


@pytest.mark.parametrize("policy", ["default", "strict"])
def test_the_demo_mix_finds_the_same_with_every_value_validated(policy: str) -> None:
    loaded = load_policy(shipped_policy_path(policy))
    deciding, validating = engine_for(loaded), _validating_all(engine_for(loaded))
    outputs = [json.loads(r.value)["output"] for r in generate(200, "decided", malformed_every=0)]
    assert deciding.scan_batch(outputs) == validating.scan_batch(outputs)


def test_a_weak_finding_the_model_overrules_does_not_hide_another(nlp: Language) -> None:
    """`Florence` is a given name to a weak detector (it yields to NER) and a place to another
    at a lower score: the model calls it a place, the weak finding goes, the place stays."""
    weak = PatternDetector(id="given-name-weak", entity="PERSON", score=0.9,
                           pattern=LinearRegex(r"Florence"), defers_to_ner=True)
    place = PatternDetector(id="place-list", entity="LOCATION", score=0.5,
                            pattern=LinearRegex(r"Florence"))
    engine = DetectorEngine(nlp=nlp, detectors=(weak, place), entities={"PERSON", "LOCATION"})
    findings = engine.scan("He lives in Florence, Italy")
    assert ("place-list", "LOCATION", 12, 20) in [(f.detector, f.entity, f.start, f.end)
                                                  for f in findings]

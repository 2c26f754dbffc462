"""`detectors.pattern.made_finding` makes the finding `Finding(...)` makes, without the
validation, for the values the detectors make; any other value goes through the validation.
A finding's state is what records, redaction and the audit trail read: its fields, their
order, which were set, its JSON, its equality and hash."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from detectors import DetectorEngine
from detectors.finding import Finding
from detectors.pattern import made_finding as made
from streams.demo_data import generate

_TEXTS = st.text(max_size=20)


def _state(finding: Finding) -> tuple[object, ...]:
    return (list(finding.__dict__.items()), finding.__pydantic_fields_set__,
            finding.__pydantic_extra__, finding.__pydantic_private__, finding.model_dump_json(),
            finding.model_dump(exclude_unset=True), repr(finding), hash(finding))


def _validated(entity: object, path: object, start: object, end: object, score: object,
               detector: object) -> Finding:
    return Finding(entity=entity, path=path, start=start, end=end, score=score,
                   detector=detector)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _TEXTS, st.integers(0, 10**6), st.integers(0, 10**6),
       st.floats(allow_nan=False) | st.integers(-3, 3), _TEXTS)
def test_a_made_finding_is_the_validated_one(entity: str, path: str, start: int, end: int,
                                             score: float, detector: str) -> None:
    fast, slow = made(entity, path, start, end, score, detector), _validated(
        entity, path, start, end, score, detector)
    assert fast == slow
    assert _state(fast) == _state(slow)
    assert type(fast.score) is float  # an int score is validated into a float, as before


def test_values_not_of_their_fields_types_are_validated() -> None:
    assert made("US_SSN", "$.ssn", True, 11, 0.85, "us-ssn").start == 1
    with pytest.raises(ValidationError):
        made("US_SSN", "$.ssn", "zero", 11, 0.85, "us-ssn")
    with pytest.raises(ValidationError):
        made("US_SSN", None, 0, 11, 0.85, "us-ssn")  # type: ignore[arg-type]


def test_a_made_finding_is_frozen_and_copies_as_a_validated_one() -> None:
    fast = made("EMAIL_ADDRESS", "$.to", 0, 20, 0.9, "email")
    with pytest.raises(ValidationError):
        fast.start = 3  # type: ignore[misc]
    copied = fast.model_copy(update={"on_key": True})
    assert _state(copied) == _state(_validated("EMAIL_ADDRESS", "$.to", 0, 20, 0.9,
                                               "email").model_copy(update={"on_key": True}))
    assert fast.__pydantic_fields_set__ is not made("X", "$", 0, 1, 1.0,
                                                    "x").__pydantic_fields_set__


def test_the_engines_findings_are_in_the_state_validation_gives() -> None:
    outputs = [json.loads(r.value)["output"] for r in generate(300, "made", malformed_every=0)]
    outputs += [{"jane.doe@example.com": "sent"}, {"notes": {"ssn 219-09-9999": True}}]
    engine = DetectorEngine(ner_model=None)
    findings = [f for found in engine.scan_batch(outputs) for f in found]
    assert len(findings) > 300
    assert any(f.on_key for f in findings)
    for finding in findings:
        expected = _validated(finding.entity, finding.path, finding.start, finding.end,
                              finding.score, finding.detector)
        if finding.on_key:  # a key's finding: its copy so marked (`DetectorEngine.scan`)
            expected = expected.model_copy(update={"on_key": True})
        assert _state(finding) == _state(expected)

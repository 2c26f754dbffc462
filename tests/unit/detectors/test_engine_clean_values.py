"""The engine remembers short values in which its pattern detectors found nothing (outputs
repeat their statuses and sentences) and skips them the next time: the findings must be those
of an engine that remembers nothing, whatever values repeat, under which keys and paths."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors import DetectorEngine
from detectors import engine as engine_module
from streams.demo_data import generate


class _Forgetful(set[Any]):
    def add(self, item: Any) -> None:
        pass  # remembers nothing: every value is scanned


@pytest.fixture(scope="module")
def engines() -> tuple[DetectorEngine, DetectorEngine]:
    remembering = DetectorEngine(ner_model=None)
    forgetful = DetectorEngine(ner_model=None)
    forgetful._clean = _Forgetful()
    return remembering, forgetful


# Sensitive and clean texts, each under keys that are evidence for a detector or not: the same
# text is clean under one key and a finding under another.
TEXTS = st.sampled_from([
    "sent", "us-east", "24h", "Denver", "ok", "219-09-9999", "219099999", "1234", "4111 1111 1111 1111",
    "jo@corp.example.com", "(415) 555-0132", "q8Zr2LmX0vT7nB4kW1yP", "password=hunter2hunter2",
    "Your refund is on its way", "AKIAIOSFODNN7EXAMPLE", "10.0.0.1", "tenant_id=other",
    "DE89370400440532013000", "x" * 300, "x" * 300 + " 219-09-9999", ""])
KEYS = st.sampled_from(["status", "ssn", "pin", "password", "note", "phone", "api_token",
                        "account", "tenant", "region"])
NUMBERS = st.sampled_from([434, 219099999, 4111111111111111, 1234, 3.5])
VALUES = st.recursive(TEXTS | NUMBERS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(KEYS, inner, max_size=3), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=4))
def test_remembered_clean_values_change_no_finding(
        engines: tuple[DetectorEngine, DetectorEngine], values: list[Any]) -> None:
    remembering, forgetful = engines
    for value in values + values:  # the second time, clean values are remembered
        assert remembering.scan(value, "acme") == forgetful.scan(value, "acme")


def test_the_demo_mix_finds_the_same_with_and_without_remembering(
        engines: tuple[DetectorEngine, DetectorEngine]) -> None:
    remembering, forgetful = engines
    outputs = [json.loads(r.value)["output"] for r in generate(300, "clean", malformed_every=0)]
    for output in outputs:
        assert remembering.scan(output, "acme") == forgetful.scan(output, "acme")
    assert remembering._clean  # and some were remembered


def test_remembered_values_are_bounded_and_short(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_CLEAN_CACHE_SIZE", 16)
    engine = DetectorEngine(ner_model=None)
    engine.scan({"status": [f"state {i}" for i in range(100)] + ["y" * 1000]})
    assert 0 < len(engine._clean) <= 16
    assert all(len(text) <= engine_module._CACHED_CLEAN_LENGTH for text, _, _ in engine._clean)


def test_forget_seen_makes_the_engine_run_its_detectors_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/detection_speed.py empties the caches before each pass so that it measures the
    detectors; a pass after `forget_seen` must run them on every value again."""
    engine = DetectorEngine(ner_model=None)
    value = {"status": "sent", "note": "Your refund is on its way"}
    engine.scan(value)
    runs = 0
    text_findings = engine._text_findings

    def counting(*args: Any) -> Any:
        nonlocal runs
        runs += 1
        return text_findings(*args)

    monkeypatch.setattr(engine, "_text_findings", counting)
    engine.scan(value)
    remembered = runs
    engine.forget_seen()
    engine.scan(value)
    assert remembered == 0 and runs >= 2

"""The collective prefilter: the engine finds exactly what every detector's own gate finds."""

import copy
import json

import pytest

from detectors.pattern import PatternDetector, count_digits
from detectors.prefilter import Prefilter
from detectors.registry import DEFAULT_DETECTORS
from detectors.walker import Leaf, string_leaves
from streams.demo_data import generate

TEXTS = [
    "AKIAIOSFODNN7EXAMPLE in the log", "password=hunter2Xy9!q", "Call me at +1 415 555 0100",
    "card 4111 1111 1111 1111 exp 12/29", "ok", "", "12", "sent", "Dear Anna, thanks",
    "ssn: 123-45-6789", "She turned 64 and lives at 12 Nørregade 7, Aarhus C.",
    "account 12345678 at the bank", "mr sk-ant-api03-x", "Ubul: hi\nNicole: bye",
]
KEYS = [None, "password", "ssn", "phone", "account", "body", "api_key"]


def _one_by_one(detectors: tuple[PatternDetector, ...], leaf: Leaf) -> list[tuple[str, int, int]]:
    lowered = leaf.text.lower()
    return [(f.detector, f.start, f.end) for d in detectors for f in d.find(leaf, lowered)]


def _collective(prefilter: Prefilter, leaf: Leaf) -> list[tuple[str, int, int]]:
    lowered = leaf.text.lower()
    return [(f.detector, f.start, f.end)
            for d, keyed in prefilter.candidates(leaf.text, lowered, leaf.key)
            for f in d.matches(leaf, lowered, keyed)]


def _leaves() -> list[Leaf]:
    outputs = [json.loads(r.value)["output"] for r in generate(300, "t", malformed_every=0)]
    demo = [leaf for output in outputs for leaf in string_leaves(output)]
    return demo + [Leaf("$", key, text) for text in TEXTS for key in KEYS]


# Built once: 20 ms each, 25 s of CPU over the 1,238 cases below.
PREFILTER = Prefilter(DEFAULT_DETECTORS)


def _fresh_prefilter() -> Prefilter:
    """The prefilter with nothing remembered: each case's answer is worked out afresh (answers
    from memory: test_remembered_answers_are_worked_out_afresh_ones)."""
    prefilter = copy.copy(PREFILTER)
    for memory, empty in (("_chosen", {}), ("_keyed_by_key", {None: frozenset()})):
        assert memory in vars(prefilter), memory
        setattr(prefilter, memory, empty)
    return prefilter


@pytest.mark.parametrize("leaf", _leaves(), ids=lambda leaf: f"{leaf.key}:{leaf.text[:20]}")
def test_collective_prefilter_finds_what_each_detector_finds(leaf: Leaf) -> None:
    assert _collective(_fresh_prefilter(), leaf) == _one_by_one(DEFAULT_DETECTORS, leaf)


def test_keywords_that_are_prefixes_of_longer_keywords_still_count() -> None:
    # `age` and `age:` start at the same place; the scan sees the longer one.
    prefilter = Prefilter(DEFAULT_DETECTORS)
    chosen = {d.id for d, _ in prefilter.candidates("age: 41", "age: 41", None)}
    assert "age" in chosen


def test_digit_free_text_skips_number_detectors() -> None:
    chosen = {d.id for d, _ in Prefilter(DEFAULT_DETECTORS).candidates("sent", "sent", None)}
    assert not chosen & {"credit-card", "us-ssn", "phone-number", "iban"}


@pytest.mark.parametrize(("text", "digits"), [("", 0), ("abc", 0), ("4111-1111", 8), ("a1b2", 2)])
def test_count_digits(text: str, digits: int) -> None:
    assert count_digits(text) == digits


def _fresh(prefilter: Prefilter, text: str, key: str | None) -> list[tuple[str, bool]]:
    """The prefilter's answer worked out afresh (what `candidates` did before it remembered)."""
    keyed = prefilter.keyed(key)
    keyword_hits: set[int] = set()
    context_hits: set[int] = set()
    for word in prefilter._scan.Match(text.lower()) or ():
        keyword_hits |= prefilter._keyword_hits[word]
        context_hits |= prefilter._context_hits[word]
    digits = count_digits(text)
    passing = ((prefilter._without_keywords | keyword_hits)
               & (prefilter._without_context_gate | keyed | context_hits))
    return [(prefilter._detectors[i].id, i in keyed) for i in sorted(passing)
            if digits >= prefilter._detectors[i].min_digits]


def test_remembered_answers_are_worked_out_afresh_ones() -> None:
    # one prefilter for every leaf, each leaf twice and digit runs either side of every
    # detector's `min_digits`: an answer given from memory is the one worked out afresh
    prefilter = Prefilter(DEFAULT_DETECTORS)
    runs = sorted({d.min_digits for d in DEFAULT_DETECTORS} | {0})
    texts = [f"card {'4' * (n + shift)} ok" for n in runs for shift in (-1, 0, 1) if n + shift >= 0]
    leaves = _leaves() + [Leaf("$", key, text) for text in texts for key in KEYS]
    for leaf in leaves + leaves[::-1]:
        chosen = prefilter.candidates(leaf.text, leaf.text.lower(), leaf.key)
        assert [(d.id, keyed) for d, keyed in chosen] == _fresh(prefilter, leaf.text, leaf.key)

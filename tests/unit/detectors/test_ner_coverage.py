"""What NER reads (`DetectorEngine(ner_coverage=...)`): windows around capitalised words
(`windows`), also around lower-case words that are not everyday words (`words`, the default), or
every prose line whole (`prose`); never code, `key=value` logs, URLs, IDs or numbers."""

from __future__ import annotations

import pytest
from spacy.language import Language

from detectors import DetectorEngine
from detectors.language import ner_windows, prose_spans
from detectors.ner import NerDetector

# A lower-case name that no list holds and no capitalised word is near: only the model finds it.
LOWER_CASE_NAME = "please ask tamunosiki ibiteye to call the customer back"


def _people(engine: DetectorEngine, text: str) -> list[str]:
    return [text[f.start:f.end] for f in engine.scan(text) if f.entity == "PERSON"]


def test_no_pattern_detector_finds_the_lower_case_name() -> None:
    assert _people(DetectorEngine(ner_model=None), LOWER_CASE_NAME) == []


def test_windows_around_capitalised_words_miss_it(nlp: Language) -> None:
    assert _people(DetectorEngine(nlp=nlp, ner_coverage="windows"), LOWER_CASE_NAME) == []


@pytest.mark.parametrize(("text", "name"), [
    (LOWER_CASE_NAME, "tamunosiki ibiteye"),
    ("the parcel was signed for by wiremu tipene at the depot", "wiremu tipene"),
    ("thanks again, ngozi adeyemi-okafor", "ngozi adeyemi-okafor"),
])
def test_the_default_coverage_reads_a_lower_case_name_no_list_holds(
        nlp: Language, text: str, name: str) -> None:
    assert _people(DetectorEngine(ner_model=None), text) == []
    assert _people(DetectorEngine(nlp=nlp), text) == [name]


@pytest.mark.parametrize("coverage", ["words", "prose"])
def test_wider_coverage_finds_a_lower_case_name_only_the_model_knows(
        nlp: Language, coverage: str) -> None:
    engine = DetectorEngine(nlp=nlp, ner_coverage=coverage)
    assert _people(engine, LOWER_CASE_NAME) == ["tamunosiki ibiteye"]


@pytest.mark.parametrize(("text", "prose"), [
    ("Hi Marisol, your refund was processed today.", ["Hi Marisol, your refund was processed today."]),
    ("flagged for churn risk; offered 20% retention discount",
     ["flagged for churn risk; offered 20% retention discount"]),
    ("level=info msg=started user_id=7 took=12ms", []),
    ("def total(items):\n    return sum(items) + 1\nThen we met Ilse in Graz.",
     ["Then we met Ilse in Graz."]),
    ("https://intranet.example/people/ilse-brandt b", []),
    ("C-252353", []),
    ("bGV0IG1lIGluIHBsZWFzZSwgaXQgaXMgY29sZCBvdXRzaWRl", []),
    ("4111 1111 1111 1111", []),
    ("The", []),
    ("first line of a letter\nsecond line of it", ["first line of a letter\nsecond line of it"]),
])
def test_what_is_prose(text: str, prose: list[str]) -> None:
    assert [text[a:b] for a, b in prose_spans(text)] == prose


def test_a_line_a_pattern_detector_decided_is_not_read_again() -> None:
    text = "contact\nLeipzig Hauptbahnhof"
    assert [text[a:b] for a, b in prose_spans(text, [(8, len(text))])] == ["contact"]


def test_an_unknown_coverage_is_refused(nlp: Language) -> None:
    with pytest.raises(ValueError, match="coverage"):
        NerDetector(nlp, coverage="everything")


# A log line of the demo's shape: the key is decided by a pattern detector (a CREDENTIAL) and
# differs from result to result; the words before it are the same in every line.
KEY_LINE = "2026-11-21T10:05:01Z DEBUG using credential {key}"
KEYS = ["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"]


def test_a_window_stops_before_a_long_token_a_pattern_decided(nlp: Language) -> None:
    lines = [KEY_LINE.format(key=key) for key in KEYS]
    decided = [[(line.index(key), len(line))] for line, key in zip(lines, KEYS, strict=True)]
    windows = [[line[a:b] for a, b in ner_windows(line, 1, spans, lower_case=True)]
               for line, spans in zip(lines, decided, strict=True)]
    # one window for both lines, which NER reads once; undecided, the key is read with it
    assert windows == [["2026-11-21T10:05:01Z DEBUG using credential"]] * 2
    assert [lines[0][a:b] for a, b in ner_windows(lines[0], 1, [], lower_case=True)] == lines[:1]
    engine = DetectorEngine(nlp=nlp)
    assert {f.entity for f in engine.scan(lines[0])} == {"CREDENTIAL"} | {
        f.entity for f in engine.scan(lines[1])}


def test_a_short_token_a_pattern_decided_stays_in_the_window() -> None:
    """A postcode beside a place is context the model reads (an address reads as one)."""
    text = "ship it to Akureyri 600 today"
    assert [text[a:b] for a, b in ner_windows(text, 1, [(20, 23)])] == ["to Akureyri 600"]

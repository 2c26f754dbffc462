"""NER remembers what it found in the leaves and windows it read (`detectors.ner_memory`) and
does not read them again: the findings must be those of a detector that reads every batch
afresh, whatever repeats, at which offset, beside which pattern findings, and within which
budget; and the memory holds no text of the payloads, only digests, offsets and labels."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from detectors import DetectorEngine
from detectors.budget import ScanBudget
from detectors.ner import NerDetector
from detectors.ner_memory import NerMemory
from detectors.walker import Leaf
from streams.demo_data import generate

# Invented texts: the same windows at other offsets, beside other words, in longer lines.
SENTENCES = [
    "Hi Ingeborg, your refund was processed today.",
    "Note: Hi Ingeborg, your refund was processed today.",
    "Ingeborg Halvorsen flew from Trondheim to Lisbon on 3 March 2024.",
    "Trondheim",
    "trondheim",
    "4411 7782 9911 Trondheim",  # the window `9911 Trondheim` at two offsets
    "7782 9911 Trondheim",
    "please ask tamunosiki ibiteye to call back",
    "The Peruvian delegation met Aurelio Benvenuti in Geneva.",
    "Ticket closed.",
    "2026-11-21T10:04:00Z INFO deploy step 3/5 ok for Kenji Watanabe at Osaka",
    "Contact Olufunke Adebayo at olufunke.adebayo@example.org about Lagos",
    "Signed,\n\nMateus Okonkwo-Lindqvist\nHead of Returns, Brightwater Freight",
    "",
]


def _afresh(detector: NerDetector, leaves: list[Leaf],
            covered: list[list[tuple[int, int]]] | None = None) -> list[list[object]]:
    detector.forget()  # what the detector found before this change: every batch read afresh
    return detector.find_batch(leaves, covered)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def detectors(nlp: Language) -> tuple[NerDetector, NerDetector]:
    return NerDetector(nlp), NerDetector(nlp)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(SENTENCES), st.booleans()),
                         min_size=1, max_size=6), min_size=1, max_size=4))
def test_remembered_findings_are_the_findings_read_afresh(
        detectors: tuple[NerDetector, NerDetector],
        batches: list[list[tuple[str, bool]]]) -> None:
    remembering, afresh = detectors
    for batch in batches + batches:  # the second time, every leaf and window is remembered
        leaves = [Leaf(f"$.items[{i}]", "note", text) for i, (text, _) in enumerate(batch)]
        # the first word of some leaves decided by a pattern detector: NER reads around it
        covered = [[(0, text.find(" "))] if cover and " " in text else []
                   for text, cover in batch]
        assert remembering.find_batch(leaves, covered) == _afresh(afresh, leaves, covered)


def test_the_same_text_beside_other_pattern_findings_is_read_again(
        detectors: tuple[NerDetector, NerDetector]) -> None:
    remembering, afresh = detectors
    leaf = Leaf("$.note", "note", "Ingeborg Halvorsen flew from Trondheim to Lisbon.")
    first = remembering.find_batch([leaf], [[]])
    assert {f.entity for f in first[0]} >= {"PERSON", "LOCATION"}
    decided = [[(0, 18), (29, 38)]]  # the name and a place decided by patterns
    assert remembering.find_batch([leaf], decided) == _afresh(afresh, [leaf], decided)
    assert remembering.find_batch([leaf], decided) != first


def test_the_demo_mix_finds_the_same_with_and_without_the_memory(nlp: Language) -> None:
    remembering, afresh = (DetectorEngine(nlp=nlp), DetectorEngine(nlp=nlp))
    outputs = [json.loads(r.value)["output"] for r in generate(600, "ner-memory",
                                                               malformed_every=0)]
    batches = [outputs[i:i + 50] for i in range(0, len(outputs), 50)]
    found = 0
    for batch in batches + batches[:3]:
        afresh.forget_seen()
        expected = afresh.scan_batch(batch, ["acme"] * len(batch))
        assert remembering.scan_batch(batch, ["acme"] * len(batch)) == expected
        found += sum(f.detector.startswith("spacy-") for value in expected for f in value)
    assert found > 100  # NER found names and places in the mix


def test_a_leaf_left_out_for_its_budget_is_read_in_full_later(nlp: Language) -> None:
    remembering, afresh = NerDetector(nlp, batch_size=1), NerDetector(nlp, batch_size=1)
    leaf = Leaf("$.note", "note", "Hi Ingeborg, the parcel to Trondheim left Lisbon on Friday.")
    ticks = itertools.count(step=10)  # each window costs 10 s: the budget is over after one
    over = ScanBudget(1.0, lambda: float(next(ticks)))
    cut = remembering.find_batch([leaf], [[]], [over])
    assert over.over
    whole = _afresh(afresh, [leaf], [[]])
    assert len(cut[0]) < len(whole[0])
    assert remembering.find_batch([leaf], [[]]) == whole


def test_the_memory_holds_no_text_of_the_payloads(nlp: Language) -> None:
    detector = NerDetector(nlp)
    leaves = [Leaf(f"$[{i}]", "note", text) for i, text in enumerate(SENTENCES)]
    found = detector.find_batch(leaves, [[] for _ in leaves])
    values = {leaf.text[f.start:f.end] for leaf, fs in zip(leaves, found, strict=True)
              for f in fs}
    assert {"Ingeborg", "Trondheim", "Aurelio Benvenuti"} <= values
    held = repr([list(detector._leaves._found.items()), list(detector._windows._found.items())])
    assert len(detector._leaves) and len(detector._windows)
    for value in values | {s for s in SENTENCES if s}:
        assert value not in held and value.encode() not in held.encode()


def test_forget_seen_makes_the_model_read_every_window_again(
        nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = DetectorEngine(nlp=nlp)
    read: list[str] = []
    make_doc = nlp.make_doc
    monkeypatch.setattr(nlp, "make_doc", lambda text: read.append(text) or make_doc(text))
    values = [{"note": text} for text in SENTENCES]
    engine.scan_batch(values)
    first = len(read)
    assert first > 5
    engine.scan_batch(values)
    assert len(read) == first  # remembered: the model read nothing
    engine.forget_seen()
    engine.scan_batch(values)
    assert len(read) == 2 * first


def test_the_memory_is_bounded_and_keyed_by_the_whole_text() -> None:
    memory = NerMemory(size=3)
    for i in range(10):
        memory.put(memory.digest(f"text {i}"), ())
        assert len(memory) <= 3
    assert memory.digest("Trondheim") == memory.digest("Trondheim")
    assert memory.digest("Trondheim") != memory.digest("Trondheim ")
    assert memory.digest("\ud800") != memory.digest("\udc00")  # lone surrogates of JSON strings
    assert NerMemory().digest("Trondheim") != memory.digest("Trondheim")  # a key per process


def test_words_never_seen_before_leave_the_model_as_it_was(nlp: Language) -> None:
    # An agent's outputs are open-ended (ids, random words): before, every new word stayed in
    # spaCy's string store for good and a worker's memory grew with them (~20 MB per 1,000
    # results of 34 new words each, with the strict policy); now the model reads them in a
    # memory zone that frees them.
    detector = NerDetector(nlp)
    before = len(nlp.vocab.strings)
    texts = [f"Met Zq{n}vorlaxe Brimbleton in Xanthuvia{n} about quorplik{n} and snarfwex{n}"
             for n in range(300)]
    found = detector.find_batch([Leaf(f"note[{n}]", "note", text)
                                 for n, text in enumerate(texts)])
    assert any(found), "the model found names and places in them"
    assert len(nlp.vocab.strings) == before

"""The batch decoder (`detectors/ner_decoder.py`) finds exactly the entities spaCy's own NER pipe
finds with the same model: every label, start and end, on texts of many shapes decoded together;
and a decoder whose table of moves is wrong (labels shuffled among the output rows) does not, so
the comparison would catch a wrong mapping."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from spacy.language import Language

from detectors import DetectorEngine
from detectors.ner import NerDetector
from detectors.ner_decoder import BatchDecoder, MoveTable

# Invented texts: names, places, dates, times, money, organisations, nationalities, runs of
# white space and line breaks, one-token and empty texts, a long one.
TEXTS = [
    "Dr. Ingeborg Halvorsen flew from Trondheim to Lisbon on 3 March 2024.",
    "Our Zurich office wired $4,500 to Kestrel Analytics last Tuesday at 9:30 am.",
    "please ask tamunosiki ibiteye to call the customer back",
    "Signed,\n\nMateus Okonkwo-Lindqvist\nHead of Returns, Brightwater Freight",
    "The Peruvian delegation met Chancellor Aurelio Benvenuti in Geneva.",
    "Ticket closed.",
    "Kowalczyk",
    "",
    "   ",
    "Meet me at Harbourside Mall near Elm Street around noon on Friday, 12 July.",
    ("She moved from Osaka to Vancouver in 2019 and now works for Northwind Labs with "
     "Priyanka Raghunathan, who studied in Edinburgh, and Tomasz Wierzbicki from Gdansk; "
     "they spent roughly 30 percent of the $2 million budget before the third quarter."),
    "Hello  Amara   Diallo , your parcel to Dakar left the Rotterdam depot yesterday.",
    "Mr. Kenji Watanabe-Smith and Mrs. Olufunke Adebayo attended the Lagos Marathon.",
    "Transfer approved by Sven Eriksson on behalf of the Norwegian Refugee Council.",
]


def _spacy_entities(nlp: Language, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]


@pytest.fixture(scope="module")
def decoder(nlp: Language) -> BatchDecoder:
    made = BatchDecoder.for_pipe(nlp.get_pipe("ner"))
    assert made is not None
    return made


def test_the_batch_decoder_finds_the_entities_spacy_finds(
        nlp: Language, decoder: BatchDecoder) -> None:
    expected = _spacy_entities(nlp, TEXTS)
    assert sum(map(len, expected)) >= 25  # the texts do hold entities of many labels
    assert {label for ents in expected for _, _, label in ents} >= {
        "PERSON", "GPE", "DATE", "TIME", "MONEY", "ORG", "NORP"}
    assert decoder([nlp.make_doc(text) for text in TEXTS]) == expected


@pytest.mark.parametrize("size", [1, 3])
def test_the_entities_do_not_depend_on_the_batch(
        nlp: Language, decoder: BatchDecoder, size: int) -> None:
    expected = _spacy_entities(nlp, TEXTS)
    found = [ents for i in range(0, len(TEXTS), size)
             for ents in decoder([nlp.make_doc(text) for text in TEXTS[i:i + size]])]
    assert found == expected


def test_a_decoder_with_its_moves_mapped_wrongly_finds_other_entities(
        nlp: Language) -> None:
    ner = nlp.get_pipe("ner")
    moves = MoveTable.of(ner)
    labels = list(moves.labels)
    random.Random(14).shuffle(labels)
    wrong = BatchDecoder(ner, replace(moves, labels=tuple(labels)))
    assert wrong([nlp.make_doc(text) for text in TEXTS]) != _spacy_entities(nlp, TEXTS)


def test_a_pipe_it_cannot_decode_is_left_to_spacy(nlp: Language) -> None:
    assert BatchDecoder.for_pipe(object()) is None
    assert BatchDecoder.for_pipe(nlp.tokenizer) is None


def test_the_engine_finds_the_same_with_spacys_decoding(nlp: Language) -> None:
    with_decoder = DetectorEngine(nlp=nlp)
    with_spacy = DetectorEngine(nlp=nlp)
    ner = with_spacy._ner
    assert isinstance(ner, NerDetector) and ner._decoder is not None
    ner._decoder = None
    assert with_decoder.scan_batch(TEXTS) == with_spacy.scan_batch(TEXTS)

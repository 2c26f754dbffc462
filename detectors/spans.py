"""Merging the findings of one leaf: weak pattern findings yield to NER, NER findings inside a
pattern finding go, and a finding inside a longer one that scores as high is dropped. Each is a
sweep over spans sorted once, so a leaf with thousands of findings costs no more than its
findings (never one comparison per pair)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from detectors.finding import Finding


def deferred(patterns: list[Finding], ner: list[Finding],
              deferring: frozenset[str]) -> list[Finding]:
    """Pattern findings, less those of weak detectors where NER found an entity of another
    type over them (`Paris` the given name where the model found a place). Where the model
    found the same type over part of it (`Kowalczyk` of `Radomir Kowalczyk`), the pattern's
    finding stays: the two agree, and the longer one holds the whole name."""
    if not deferring or not ner:
        return patterns
    others: dict[str, tuple[list[int], list[int]]] = {}
    kept: list[Finding] = []
    for p in patterns:
        if p.detector in deferring:
            if p.entity not in others:
                others[p.entity] = _reach([n for n in ner if n.entity != p.entity])
            starts, reach = others[p.entity]
            if starts and _reaches(starts, reach, p.end, p.start + 1, strict_start=True):
                continue
        kept.append(p)
    return kept


def outside(ner: list[Finding], patterns: list[Finding]) -> list[Finding]:
    """NER findings not inside a pattern finding: a pattern knows `41 62 08` is part of a phone
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


def without_shadowed(findings: list[Finding]) -> list[Finding]:
    """Drop a finding whose span lies inside a longer or equal one that scores at least as high
    (the same value found twice, or a part of a larger finding).

    One sweep by start (longest first at a start, then highest score): a finding is shadowed
    when one seen before it, at each score at least its own, reaches its end. Scores take few
    values, so this is linear in the findings after the sort."""
    if len(findings) < 2:  # most leaves: nothing to compare
        return list(findings)
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

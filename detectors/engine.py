"""The detector engine: every string leaf of a JSON payload through every detector."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detectors.finding import Finding
from detectors.pattern import PatternDetector
from detectors.registry import DEFAULT_DETECTORS
from detectors.walker import string_leaves


class DetectorEngine:
    """Scans JSON values; pure and synchronous, safe to share between batches."""

    def __init__(self, detectors: Sequence[PatternDetector] = DEFAULT_DETECTORS) -> None:
        self._detectors = tuple(detectors)

    @property
    def entities(self) -> frozenset[str]:
        return frozenset(d.entity for d in self._detectors)

    def scan(self, value: Any) -> list[Finding]:
        findings: list[Finding] = []
        for leaf in string_leaves(value):
            lowered = leaf.text.lower()
            leaf_findings = [f for d in self._detectors for f in d.find(leaf, lowered)]
            findings.extend(_without_shadowed(leaf_findings))
        return findings

    def scan_batch(self, values: Sequence[Any]) -> list[list[Finding]]:
        return [self.scan(value) for value in values]


def _without_shadowed(findings: list[Finding]) -> list[Finding]:
    """Drop a finding whose span lies inside an earlier-registered or higher-scoring one."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (-(f.end - f.start), -f.score)):
        covered = any(k.start <= finding.start and finding.end <= k.end and k.score >= finding.score
                      for k in kept)
        if not covered:
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end))

"""How many redactions and findings a result's records itemise (policies/omission.py), from
the record size limit of the topics they go to.

The redactions of a result appear in its decision (released or quarantine topic), its audit
record and its review item; its findings in the audit record (with keyed value hashes) and the
review item. Each list gets `1 / LIST_SHARE` of the smallest limit among those topics, so a
record with every list at its bound still leaves most of its topic's limit to the output and
the other fields. Short lists are left as they are (one pass over them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel

from policies.decide import RuledFinding
from policies.decision import Redaction
from policies.omission import ListBound, Omission, cut

# Kafka's default max.message.bytes, less what a record costs beyond its key and value: the
# bound a pipeline uses until the worker has read its topics' limits.
DEFAULT_LIMIT = 1_048_588 - 512
# Keyed value hashes an itemised audit finding keeps (its `count` counts them all).
HASHES_PER_FINDING = 64
# A JSON character is at most 6 bytes (`\u001f`); an entry's keys and punctuation at most this.
_CHAR_BYTES, _REDACTION_FRAME, _FINDING_FRAME, _REF_FRAME = 6, 72, 112, 56
# A keyed value hash is hex (`HashKey.token`: at most sha256's 64 digits), quoted, a comma.
_HASH_BYTES = 64 + 3


@dataclass(frozen=True)
class RecordBounds:
    """The bound of each list in one result's records."""

    lists: ListBound
    hashes_per_finding: int = HASHES_PER_FINDING

    @classmethod
    def for_limit(cls, limit: int) -> RecordBounds:
        """`limit`: the smallest record size (key and value) of the topics records go to."""
        return cls(ListBound.for_limit(limit))

    def redactions(self, redactions: tuple[Redaction, ...]
                   ) -> tuple[tuple[Redaction, ...], Omission | None]:
        if not redactions:
            return redactions, None
        if len(redactions) <= self.lists.items:  # the common case: one pass, no call
            most = 0
            for r in redactions:
                most += _REDACTION_FRAME + _CHAR_BYTES * (
                    len(r.path) + len(r.entity) + len(r.reason) + len(r.action) + len(r.rule_id))
            if most <= self.lists.size:
                return redactions, None
        return cut(redactions, self.lists, _size, _redaction_described)

    def findings(self, findings: tuple[dict[str, Any], ...]
                 ) -> tuple[tuple[dict[str, Any], ...], Omission | None]:
        """Audit findings (`FindingSummary`'s fields as plain values: streams/worker/
        result_records.py `summaries`): each keeps its first value hashes, the list its first
        findings."""
        if not findings:
            return findings, None
        hashes = self.hashes_per_finding
        if len(findings) <= self.lists.items:  # the common case: one pass, no call
            most = 0
            for f in findings:
                if len(f["value_hashes"]) > hashes:
                    break
                most += (_FINDING_FRAME + _HASH_BYTES * len(f["value_hashes"]) + _CHAR_BYTES * (
                    len(f["entity"]) + len(f["path"]) + len(f["detector"]) + len(f["rule_id"])))
            else:
                if most <= self.lists.size:
                    return findings, None
        trimmed = [max(0, len(f["value_hashes"]) - hashes) for f in findings]
        findings = tuple({**f, "value_hashes": f["value_hashes"][:hashes]}
                         if n else f for f, n in zip(findings, trimmed, strict=True))
        kept, omitted = cut(findings, self.lists, _size, _finding_described)
        hashes_omitted = sum(trimmed[:len(kept)])
        if hashes_omitted:
            omitted = (omitted or Omission(itemised=len(kept), omitted=0, groups=())
                       ).model_copy(update={"value_hashes_omitted": hashes_omitted})
        return kept, omitted

    def finding_refs(self, ruled: Sequence[RuledFinding]
                     ) -> tuple[tuple[dict[str, str], ...], Omission | None]:
        """A review item's findings (what and where, never the value), from the ruled ones:
        `FindingRef`'s fields as plain values."""
        if len(ruled) <= self.lists.items:  # the common case: one pass, no call
            refs = tuple(map(_ref, ruled))
            most = 0
            for ref in refs:
                most += _REF_FRAME + _CHAR_BYTES * (len(ref["entity"]) + len(ref["path"])
                                                    + len(ref["detector"]) + len(ref["rule_id"]))
            if most <= self.lists.size:
                return refs, None
        kept, omitted = cut(ruled, self.lists, _ruled_size, _ruled_described)
        return tuple(map(_ref, kept)), omitted


def _size(entry: BaseModel | dict[str, Any]) -> int:
    """`entry`: a model, or its fields as a dict."""
    fields = entry if type(entry) is dict else entry.__dict__
    try:
        return len(orjson.dumps(fields))
    except TypeError:  # orjson.JSONEncodeError (a lone surrogate): what JSON could make of it
        return _FINDING_FRAME + _CHAR_BYTES * len(str(fields))


def _redaction_described(r: Redaction) -> tuple[str, str, str]:
    return r.entity, r.action, r.path


def _finding_described(f: dict[str, Any]) -> tuple[str, str, str]:
    return f["entity"], f["decision"].value, f["path"]


def _ref(r: RuledFinding) -> dict[str, str]:
    """`FindingRef`'s fields in its order (the validated finding's, read as its fields without
    pydantic's attribute hook; the policy's rule id)."""
    f = r.finding.__dict__
    return {"entity": f["entity"], "path": f["path"], "detector": f["detector"],
            "rule_id": r.rule_id}


def _ruled_size(r: RuledFinding) -> int:
    return _size(_ref(r))


def _ruled_described(r: RuledFinding) -> tuple[str, str, str]:
    return r.finding.entity, r.decision.value, r.finding.path

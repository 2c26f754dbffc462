"""Metadata fields scanned for secrets and personal identifiers before a result is decided.

`job_id`, `agent_id`, `action`, `tenant`, `trace_id` and the risk tags are copied verbatim into
released, review and audit records. Their format is strict (`policies.action_result`: an
identifier, no spaces, `@`, `/`, `+`, `=` or non-ASCII), but an identifier-shaped value can still
be a secret: an AWS access key id, a Stripe key, an SSN with dashes, a card or IBAN number. The
policy's own pattern detectors (credentials, identity and payment numbers, contact details, its
custom patterns and deny lists; never NER) scan each field, and the policy's allow lists apply
as they do to outputs. A finding makes the record a dead letter (`sensitive_metadata`, naming
the field and the entity, never the value): nothing is released or audited for it, and its
bytes are kept sealed for `afterguard deadletter replay` once the agent or the policy is fixed.

Entity types that ordinary identifiers are made of are not looked for here: dates and times
(`job-2026-11-27-001`), host and domain names (`billing.acme.io`), IP addresses, ages, places
and names (NER), and CROSS_TENANT (the tenant field is the result's own tenant).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from detectors import DetectorEngine
from detectors.finding import Finding
from policies import LoadedPolicy
from policies.action_result import ActionResult
from policies.allow import split_allowed
from policies.policy_detectors import engine_detectors
from streams.worker.codec import Rejected

ORDINARY_IN_IDENTIFIERS = frozenset({"DATE_TIME", "URL", "IP_ADDRESS", "AGE", "LOCATION",
                                     "PERSON", "NRP", "CROSS_TENANT"})
_SCALAR_FIELDS = ("job_id", "agent_id", "action", "tenant", "trace_id")
# Issuer prefixes of card numbers (Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Diners
# 30/36/38/39, Discover/UnionPay/Maestro 6, JCB 35): a Luhn-valid digit run without one, such as
# a 19-digit Snowflake id (1...), is an identifier, not a card number.
_CARD_ISSUER = re.compile(r"4|5[1-5]|2[2-7]|3[0456789]|6")
CLEAN_MEMORY = 16_384  # (field, value) pairs known to hold nothing: agent ids, actions, tenants
_SEPARATORS = frozenset("._:-_")  # and the ends of the value


class MetadataScanner:
    """The policy's pattern detectors for the metadata fields of one policy."""

    def __init__(self, policy: LoadedPolicy) -> None:
        self.policy = policy
        detectors = engine_detectors(policy.policy)
        scanned = policy.policy.scanned_entities()
        wanted = {d.entity for d in detectors
                  if d.entity not in ORDINARY_IN_IDENTIFIERS
                  and (scanned is None or d.entity in scanned)}
        self._engine = DetectorEngine(entities=wanted, ner_model=None, detectors=detectors,
                                      tenant_keys=())
        self._allow = policy.policy.detection.allow
        # Most metadata repeats from record to record (an agent's id, its actions, its
        # tenant): a value found clean once is not scanned again. Bounded: values come from
        # untrusted records, so the memory is emptied when full.
        self._clean: set[tuple[str, object]] = set()

    def findings(self, fields: dict[str, Any]) -> list[Finding]:
        """What the detectors find in these field values (not counting allowed values)."""
        return self.findings_each([fields])[0]

    def findings_each(self, records: Sequence[dict[str, Any]]) -> list[list[Finding]]:
        """`findings` of each record's fields."""
        unknown = [{name: value for name, value in fields.items()
                    if (name, _hashable(value)) not in self._clean} for fields in records]
        results: list[list[Finding]] = [[] for _ in records]
        for index, fields in enumerate(unknown):
            if not fields:
                continue
            found = [f for f in self._scanned(fields)
                     if not f.on_key and _whole_part(f, _text_at(fields, f.path))]
            kept, _allowed = split_allowed(found, fields, self._allow)
            results[index] = kept
            flagged = {f.path.split("[")[0] for f in kept}
            if len(self._clean) + len(fields) > CLEAN_MEMORY:
                self._clean.clear()
            self._clean.update((name, _hashable(value)) for name, value in fields.items()
                               if name not in flagged)
        return results

    def _scanned(self, fields: dict[str, Any]) -> list[Finding]:
        """The engine's findings in `fields`, those of one scan of them all: a string field
        alone (most are plain identifiers: `DetectorEngine.scan_identifier`), the others
        (the risk tags) together. Nothing the engine reads spans two fields but the items of
        one list."""
        found: list[Finding] = []
        others: dict[str, Any] = {}
        for name, value in fields.items():
            if type(value) is str:
                found += self._engine.scan_identifier(name, value)
            else:
                others[name] = value
        return found + self._engine.scan(others) if others else found

    def check(self, result: ActionResult) -> Rejected | None:
        """Why `result` must not be decided, or None when its metadata is clean."""
        return self.check_each([result])[0]

    def check_each(self, results: Sequence[ActionResult]) -> list[Rejected | None]:
        """`check` of each result."""
        found = self.findings_each([_metadata(result) for result in results])
        return [_rejected(each) if each else None for each in found]

    def sensitive_key(self, key: bytes) -> bool:
        """True when a record's Kafka key holds something the detectors find."""
        try:
            text = key.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return bool(self.findings({"key": text}))


def _metadata(result: ActionResult) -> dict[str, Any]:
    fields: dict[str, Any] = {name: getattr(result, name) for name in _SCALAR_FIELDS
                              if getattr(result, name) is not None}
    if result.risk_tags:
        fields["risk_tags"] = list(result.risk_tags)
    return fields


def _rejected(found: list[Finding]) -> Rejected:
    named = sorted({(f.path.split("[")[0], f.entity) for f in found})
    listed = "; ".join(f"field '{field}' holds a value detected as {entity}"
                       for field, entity in named)
    return Rejected("sensitive_metadata",
                    f"{listed}. Metadata is copied into released, review and audit records, so "
                    f"it must not hold secrets or personal data; nothing was released. Fix the "
                    f"agent (or the policy's allow list) and replay this letter")


def _hashable(value: Any) -> object:
    return tuple(value) if isinstance(value, list) else value


def _text_at(fields: dict[str, Any], path: str) -> str:
    name, _, index = path.partition("[")
    value = fields.get(name)
    if isinstance(value, list):
        return str(value[int(index.rstrip("]"))])
    return str(value or "")


def _whole_part(finding: Finding, text: str) -> bool:
    """A credential is taken wherever it is found (its pattern has its own prefix and shape);
    a number (card, SSN, phone, IBAN...) only when it is a whole part of the identifier,
    between separators (`. _ : -`) or at its ends: a digit run inside a hex or base32 id is not
    a card number, whatever its checksum."""
    if finding.entity == "CREDENTIAL":
        return True
    if finding.entity == "CREDIT_CARD" and not _CARD_ISSUER.match(
            text[finding.start:finding.end].lstrip("._:-")):
        return False
    before = text[finding.start - 1] if finding.start > 0 else "."
    after = text[finding.end] if finding.end < len(text) else "."
    return before in _SEPARATORS and after in _SEPARATORS

"""Cross-tenant data: tenant identifiers in an output that are not the action's own tenant.

The field names that hold tenant identifiers are configuration (`tenant`, `tenant_id`,
`org_id` by default, compared case-insensitively). Fields anywhere in the JSON count, and so do
`tenant_id=...` / `"org_id": "..."` pairs inside string leaves (embedded JSON, logs).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from detectors.embedded import inner_pairs
from detectors.finding import Finding
from detectors.walker import ROOT, Leaf, child_path, string_leaves

ENTITY = "CROSS_TENANT"
DETECTOR_ID = "cross-tenant"
DEFAULT_TENANT_KEYS: tuple[str, ...] = ("tenant", "tenant_id", "org_id")


def _same(found: str, tenant: str) -> bool:
    return found.strip().casefold() == tenant.strip().casefold()


class CrossTenantDetector:
    """Flags every value under a tenant field that differs from the result's tenant."""

    def __init__(self, tenant_keys: Collection[str] = DEFAULT_TENANT_KEYS) -> None:
        self._keys = frozenset(key.lower() for key in tenant_keys)
        # A pair's key whose lower case is an ASCII tenant key is in the lower-cased text too
        # (`str.lower` maps those characters one by one, whatever surrounds them), so a string
        # holding none of them has no tenant pair to look for. Other keys: every string is read.
        self._ascii_keys = all(key.isascii() for key in self._keys)

    @property
    def keys(self) -> frozenset[str]:
        """The tenant keys, in lower case: an object key `key` is one when `key.lower()` is
        among them."""
        return self._keys

    def find(self, value: Any, tenant: str, strings: Sequence[Leaf] | None = None,
             fields: bool = True) -> list[Finding]:
        """The cross-tenant findings in `value`; `strings`: its `string_leaves`, if the caller
        has them already; `fields=False`: the caller knows that no object key in `value` is a
        tenant key (`keys`), so its objects are not walked for tenant fields."""
        found: list[Finding] = []
        if fields:
            self._fields(value, ROOT, tenant, found)
        for leaf in string_leaves(value) if strings is None else strings:
            if self._ascii_keys and not self._may_name_a_key(leaf.text):
                continue
            for pair in inner_pairs(leaf.text):
                if pair.key.lower() in self._keys and not _same(pair.text, tenant):
                    found.append(Finding(entity=ENTITY, path=leaf.path, start=pair.start,
                                         end=pair.start + len(pair.text), score=1.0,
                                         detector=DETECTOR_ID))
        return found

    def _fields(self, node: Any, path: str, tenant: str, found: list[Finding]) -> None:
        """Values under tenant keys, objects first and then their children, as `nodes` visits
        them (parents first, in document order); only objects and lists are walked into."""
        if isinstance(node, dict):
            for key, child in node.items():
                if str(key).lower() not in self._keys or isinstance(child, bool):
                    continue
                if isinstance(child, (str, int)) and not _same(str(child), tenant):
                    found.append(Finding(entity=ENTITY, path=child_path(path, str(key)),
                                         start=0, end=len(str(child)), score=1.0,
                                         detector=DETECTOR_ID))
            for key, child in node.items():
                if isinstance(child, (dict, list)):
                    self._fields(child, child_path(path, str(key)), tenant, found)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                if isinstance(child, (dict, list)):
                    self._fields(child, f"{path}[{index}]", tenant, found)

    def _may_name_a_key(self, text: str) -> bool:
        if ":" not in text and "=" not in text:  # as `inner_pairs`: no pair without one
            return False
        lowered = text.lower()
        return any(key in lowered for key in self._keys)

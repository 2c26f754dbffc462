"""Cross-tenant data: tenant identifiers in an output that are not the action's own tenant.

The field names that hold tenant identifiers are configuration (`tenant`, `tenant_id`,
`org_id` by default, compared case-insensitively). Fields anywhere in the JSON count, and so do
`tenant_id=...` / `"org_id": "..."` pairs inside string leaves (embedded JSON, logs).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from detectors.embedded import inner_pairs
from detectors.finding import Finding
from detectors.walker import child_path, nodes, string_leaves

ENTITY = "CROSS_TENANT"
DETECTOR_ID = "cross-tenant"
DEFAULT_TENANT_KEYS: tuple[str, ...] = ("tenant", "tenant_id", "org_id")


def _same(found: str, tenant: str) -> bool:
    return found.strip().casefold() == tenant.strip().casefold()


class CrossTenantDetector:
    """Flags every value under a tenant field that differs from the result's tenant."""

    def __init__(self, tenant_keys: Collection[str] = DEFAULT_TENANT_KEYS) -> None:
        self._keys = frozenset(key.lower() for key in tenant_keys)

    def find(self, value: Any, tenant: str) -> Iterator[Finding]:
        for path, node in nodes(value):
            if not isinstance(node, dict):
                continue
            for key, child in node.items():
                if str(key).lower() not in self._keys or isinstance(child, bool):
                    continue
                if isinstance(child, (str, int)) and not _same(str(child), tenant):
                    yield Finding(entity=ENTITY, path=child_path(path, str(key)), start=0,
                                  end=len(str(child)), score=1.0, detector=DETECTOR_ID)
        for leaf in string_leaves(value):
            for pair in inner_pairs(leaf.text):
                if pair.key.lower() in self._keys and not _same(pair.text, tenant):
                    yield Finding(entity=ENTITY, path=leaf.path, start=pair.start,
                                  end=pair.start + len(pair.text), score=1.0,
                                  detector=DETECTOR_ID)

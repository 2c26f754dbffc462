"""The cross-tenant detector walks only objects and lists (none when the engine saw no tenant
key among the value's object keys), takes the engine's string leaves, and reads a string's
`key=value` pairs only when a tenant key is in its lower-cased text: its
findings, in order, must be those of the walk it replaced (kept here as the reference), on
generated JSON with tenant fields and pairs in any case, odd keys and non-ASCII text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.embedded import inner_pairs
from detectors.finding import Finding
from detectors.tenant import DEFAULT_TENANT_KEYS, CrossTenantDetector
from detectors.walker import child_path, nodes, scan_leaves, string_leaves


def reference_find(value: Any, tenant: str, keys: frozenset[str]) -> Iterator[Finding]:
    def same(found: str) -> bool:
        return found.strip().casefold() == tenant.strip().casefold()

    for path, node in nodes(value):
        if not isinstance(node, dict):
            continue
        for key, child in node.items():
            if str(key).lower() not in keys or isinstance(child, bool):
                continue
            if isinstance(child, (str, int)) and not same(str(child)):
                yield Finding(entity="CROSS_TENANT", path=child_path(path, str(key)), start=0,
                              end=len(str(child)), score=1.0, detector="cross-tenant")
    for leaf in string_leaves(value):
        for pair in inner_pairs(leaf.text):
            if pair.key.lower() in keys and not same(pair.text):
                yield Finding(entity="CROSS_TENANT", path=leaf.path, start=pair.start,
                              end=pair.start + len(pair.text), score=1.0,
                              detector="cross-tenant")


KEYS = st.sampled_from(["tenant", "Tenant_ID", "ORG_ID", "org_id", "tenant-id", "tenants",
                        "owner", "a.b", "", "Org_Id", "\u212aey", "TENANT"])
TEXTS = st.lists(st.sampled_from([
    "tenant=acme", "tenant_id=globex", "ORG_ID: initech", "\"org_id\": \"acme\"", "Tenant: Acme ",
    "tenant='umbrella'", "x=1", "key: value", " ", "\n", "=", ":", "é", "Σ", "İ", "日本", "acme",
    "TENANT_ID = other", "sub_tenant=x", "tenantx=y", "org_id=", "'", "\""]), max_size=6).map("".join)
SCALARS = st.one_of(TEXTS, st.integers(-5, 5), st.booleans(), st.none(), st.floats(0, 2),
                    st.sampled_from(["acme", "ACME ", "globex", "1", ""]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=16)


@settings(max_examples=500, deadline=None)
@given(VALUES, st.sampled_from(["acme", "Acme", "globex", " 1 "]),
       st.sampled_from([DEFAULT_TENANT_KEYS, ("Tenant",), ("org-unit", "\u212aey"), ("σ",)]))
def test_findings_are_the_reference_walks(value: Any, tenant: str, keys: tuple[str, ...]) -> None:
    detector = CrossTenantDetector(keys)
    expected = list(reference_find(value, tenant, frozenset(k.lower() for k in keys)))
    assert detector.find(value, tenant) == expected
    strings = [leaf for leaf in scan_leaves(value) if leaf.kind == "string"]
    assert detector.find(value, tenant, strings) == expected
    # as the engine calls it: the fields walked only when an object key is a tenant key
    fields = any(leaf.text.lower() in detector.keys
                 for leaf in scan_leaves(value) if leaf.kind == "key")
    assert detector.find(value, tenant, strings, fields=fields) == expected


def test_a_pair_in_a_string_is_found_in_any_case() -> None:
    detector = CrossTenantDetector()
    found = detector.find({"log": "step 2 TENANT_ID=globex ok", "tenant": "acme"}, "acme")
    assert [(f.path, f.start, f.end) for f in found] == [("log", 17, 23)]


def test_a_key_whose_lower_case_depends_on_what_follows_is_still_read() -> None:
    # `AΣ`.lower() is `aς` (a final sigma), but inside `AΣ:Globex` the sigma is followed by a
    # letter, so the lower-cased text holds `aσ`: a key like this is looked for in every string.
    detector = CrossTenantDetector(("aς",))
    found = detector.find({"log": "AΣ:Globex"}, "acme")
    assert found == list(reference_find({"log": "AΣ:Globex"}, "acme", frozenset({"aς"})))
    assert [(f.path, f.start, f.end) for f in found] == [("log", 3, 9)]

"""A list cut short itemises its first entries and counts every other one in a summary group;
a short list is left as it is."""

from __future__ import annotations

import orjson
import pytest

from policies.decision import Redaction
from policies.omission import (
    ANY,
    MAX_GROUPS,
    PATTERN_CHARS,
    ListBound,
    cut,
    path_pattern,
    summarise,
)

MB = 1_048_588


def redaction(path: str, entity: str = "EMAIL_ADDRESS", action: str = "replace") -> Redaction:
    return Redaction(path=path, entity=entity, reason="contact data", action=action,
                     rule_id="contact-redact")


def size(r: Redaction) -> int:
    return len(orjson.dumps(r.__dict__))


def described(r: Redaction) -> tuple[str, str, str]:
    return r.entity, r.action, r.path


def test_the_bound_follows_the_topic_limit() -> None:
    one_mb, small = ListBound.for_limit(MB), ListBound.for_limit(64 * 1024)
    assert one_mb.size == MB // 8 and one_mb.items == MB // 8 // 128
    assert small.size == 8 * 1024 and small.items == 64
    assert ListBound.for_limit(10).items >= 1  # never itemises nothing for a tiny topic


def test_a_short_list_is_itemised_whole() -> None:
    entries = tuple(redaction(f"rows[{i}].email") for i in range(10))
    kept, omitted = cut(entries, ListBound.for_limit(MB), size, described)
    assert kept == entries and omitted is None


def test_thousands_of_entries_keep_the_first_and_count_every_other_one() -> None:
    entries = [redaction(f"rows[{i}].email") for i in range(6_000)]
    entries += [redaction(f"rows[{i}].phone", "PHONE_NUMBER", "mask") for i in range(2_000)]
    bound = ListBound.for_limit(MB)
    kept, omitted = cut(entries, bound, size, described)
    assert kept == tuple(entries[:len(kept)]) and 0 < len(kept) <= bound.items
    assert sum(map(size, kept)) <= bound.size
    assert omitted is not None
    assert omitted.itemised == len(kept) and omitted.omitted == 8_000 - len(kept)
    assert {(g.entity, g.action, g.path): g.count for g in omitted.groups} == {
        ("EMAIL_ADDRESS", "replace", "rows[*].email"): 6_000 - len(kept),
        ("PHONE_NUMBER", "mask", "rows[*].phone"): 2_000}


def test_one_huge_path_is_summarised_not_itemised() -> None:
    entries = (redaction("a" * 300_000),)
    kept, omitted = cut(entries, ListBound.for_limit(MB), size, described)
    assert kept == () and omitted is not None and omitted.omitted == 1
    [group] = omitted.groups
    assert len(group.path) == PATTERN_CHARS and group.path.endswith("…")


def test_groups_stay_bounded_and_lose_no_count() -> None:
    # every entry under its own key: as many path patterns as entries
    described_entries = [(f"E{i % 40}", "replace", f"k{i}") for i in range(5_000)]
    groups = summarise(described_entries)
    assert len(groups) <= MAX_GROUPS
    assert sum(g.count for g in groups) == 5_000
    assert groups[-1].entity == ANY or any(g.path == ANY for g in groups)


@pytest.mark.parametrize(("path", "pattern"), [
    ("rows[12].contact.email", "rows[*].contact.email"),
    ("$[0][1]", "$[*][*]"),
    ('$["a b"][3]', '$["a b"][*]'),
    ("note", "note"),
])
def test_path_patterns_generalise_array_indexes(path: str, pattern: str) -> None:
    assert path_pattern(path) == pattern

"""Lists a record cuts short so that it fits its topic, and what it says about the rest.

An agent controls how many findings its result holds: 100 KB of names or short e-mail addresses
is thousands of them. A decision, review item or audit record that itemised every finding and
every redaction would outgrow its topic's record size limit (1 MB by default), and a record
that cannot be written cannot be decided. So each such list itemises its first entries, up to a
number and a size derived from the topic's limit (`ListBound.for_limit`), and summarises the
rest in an `Omission`: how many were left out, counted by entity, action and JSON path pattern
(array indexes as `[*]`). Every omitted entry is counted in exactly one group.

Pure: no clock, no I/O. Cutting costs one pass over a short list and nothing else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

# Each bounded list of a record gets this share of the record's limit for its itemised entries,
# and as much again at most for its summary groups (GROUP_BYTES each). A record carries at most
# two lists (redactions and findings), so they take at most half of its topic's limit and leave
# the rest to the output (or its reference) and the other fields.
LIST_SHARE = 8
# What an itemised entry usually costs (a redaction or finding with a path of ~40 characters is
# 100-130 bytes of JSON): the number of entries a list itemises is its bytes over this.
TYPICAL_ENTRY_BYTES = 128
# Summary groups per list at most (fewer for a small topic: one per GROUP_BYTES of the list's
# share); past this, paths are merged into "*" per entity and action, and past it again
# entities and actions too (each merge keeps every count).
MAX_GROUPS = 32
NAME_CHARS = 64  # an entity or action name in a group, cut to this
PATTERN_CHARS = 160  # a path pattern in a group, cut to this (ending in "…")
# The largest group's JSON: two names and a pattern of characters JSON writes as `\u001f`
# (6 bytes each), its keys and a count.
GROUP_BYTES = 2048
ANY = "*"  # a group of entries with any path (or entity, or action)

_INDEX = re.compile(r"\[\d+\]")
E = TypeVar("E")


class OmittedGroup(BaseModel):
    """Omitted entries of one entity, action and path pattern, counted."""

    model_config = ConfigDict(frozen=True)

    entity: str
    # the redaction's operator (replace, mask, hash, remove, drop) or the finding's decision
    action: str
    path: str  # a JSON path pattern, every array index as `[*]`; "*": any path
    count: int


class Omission(BaseModel):
    """A list cut short to fit its record's topic: its first `itemised` entries are in the
    list; the `omitted` entries after them are counted in `groups` (each in exactly one)."""

    model_config = ConfigDict(frozen=True)

    itemised: int
    omitted: int
    groups: tuple[OmittedGroup, ...]
    # audit findings only: keyed value hashes left out of the itemised findings (each finding
    # keeps its first ones; its `count` still counts them all)
    value_hashes_omitted: int = 0


@dataclass(frozen=True)
class ListBound:
    """How much of one list a record itemises: at most `items` entries, of at most `size`
    bytes of JSON together; the rest in at most `groups` summary groups."""

    items: int
    size: int
    groups: int = MAX_GROUPS

    @classmethod
    def for_limit(cls, limit: int) -> ListBound:
        """The bound of each list of a record whose topic takes records up to `limit` bytes."""
        size = max(limit // LIST_SHARE, TYPICAL_ENTRY_BYTES)
        return cls(items=size // TYPICAL_ENTRY_BYTES, size=size,
                   groups=max(1, min(MAX_GROUPS, size // GROUP_BYTES)))


def cut(entries: Sequence[E], bound: ListBound, size: Callable[[E], int],
        describe: Callable[[E], tuple[str, str, str]]) -> tuple[tuple[E, ...], Omission | None]:
    """The entries to itemise and what the others were (None when all are itemised).
    `size(entry)` is an entry's JSON size and `describe(entry)` its (entity, action, path).
    Callers check first whether a list is short enough to need no cut (`fits`)."""
    kept, used = 0, 0
    for entry in entries[:bound.items]:
        used += size(entry)
        if used > bound.size:
            break
        kept += 1
    if kept == len(entries):
        return tuple(entries), None
    rest = entries[kept:]
    return tuple(entries[:kept]), Omission(itemised=kept, omitted=len(rest),
                                           groups=summarise(map(describe, rest), bound.groups))


def summarise(described: Iterable[tuple[str, str, str]],
              max_groups: int = MAX_GROUPS) -> tuple[OmittedGroup, ...]:
    """(entity, action, path) of each omitted entry, counted by entity, action and path
    pattern: the largest groups as they are, the rest merged by entity and action (path "*"),
    and if those are still too many, into one group "*" (no count lost)."""
    counts = Counter((entity[:NAME_CHARS], action[:NAME_CHARS], path_pattern(path))
                     for entity, action, path in described)
    if len(counts) > max_groups:
        kept = dict(counts.most_common(max_groups // 2))
        merged: Counter[tuple[str, str, str]] = Counter()
        for (entity, action, path), count in counts.items():
            if (entity, action, path) not in kept:
                merged[(entity, action, ANY)] += count
        counts = Counter(kept)
        by_type = merged.most_common()
        room = max_groups - len(kept)
        fitting = by_type if len(by_type) <= room else by_type[:room - 1]
        counts.update(dict(fitting))
        leftover = sum(count for _, count in by_type[len(fitting):])
        if leftover:
            counts[(ANY, ANY, ANY)] += leftover
    return tuple(OmittedGroup(entity=entity, action=action, path=path, count=count)
                 for (entity, action, path), count in
                 sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def path_pattern(path: str) -> str:
    """`rows[12].contact.email` -> `rows[*].contact.email`, at most PATTERN_CHARS long."""
    pattern = _INDEX.sub("[*]", path[:4 * PATTERN_CHARS])
    return pattern if len(pattern) <= PATTERN_CHARS else pattern[:PATTERN_CHARS - 1] + "…"

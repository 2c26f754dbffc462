"""Secrets and numbers split over list items: `["A","K","I","A",…]`, a card number as
`["4111","1111",…]` or `[4111, 1111, …]`.

The pattern detectors read one leaf at a time, so a value given a few characters per item
matches nothing in any of them. Here each run of short items of one list (strings and numbers,
at most `MAX_ITEM` characters each, next to each other in the walk) is read joined without a
separator, and what the pattern detectors find there over two items or more is reported on
every item it covers, whole.

Only entities whose shape does not arise from joining ordinary words or small numbers are
kept (`JOINED_ENTITIES`: credentials, card, SSN and IBAN numbers, e-mail addresses, crypto
addresses). A card number also needs the issuer range and length of a real scheme
(`detectors.card_issuers`), and is not read in a list named for another kind of number
(`pins`, `years`, `readings`...) unless a key above it names a card (`_card_context`).
Linear: each item is read once more, in one text of at most `MAX_ITEM` characters per item.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import pairwise

from detectors.card_issuers import issued_card
from detectors.finding import Finding
from detectors.reversed import DETECTOR_PREFIX as REVERSED_PREFIX
from detectors.walker import Leaf

DETECTOR_PREFIX = "split-items"
MAX_ITEM = 8  # characters of an item that can be part of a run
MIN_JOINED = 8  # characters of a run worth reading
JOINED_ENTITIES = frozenset({"CREDENTIAL", "CREDIT_CARD", "US_SSN", "IBAN_CODE",
                             "EMAIL_ADDRESS", "CRYPTO"})
# Words of a key that name a card (the list's key or one above it): a split card there is
# read whatever else the list is named.
CARD_WORDS = frozenset({"card", "cards", "cc", "ccn", "pan", "credit", "debit", "payment",
                        "visa", "mastercard", "amex", "creditcard", "cardnumber", "cardno"})
# Words of a list's own key that name another kind of number, whose honest lists of four
# four-digit items pass the Luhn check and an issuer range one time in forty: not read as a
# card unless a card word is on the path too. The agent names its keys, so an agent can use
# one of these to keep a split card unread (docs/detection.md says so); without them one
# honest list of four codes in forty would be redacted.
OTHER_NUMBER_WORDS = frozenset({
    "year", "years", "yr", "yrs", "date", "dates", "month", "months", "day", "days",
    "pin", "pins", "code", "codes", "otp", "otps", "digit", "digits",
    "reading", "readings", "measurement", "measurements", "sample", "samples",
    "score", "scores", "count", "counts", "port", "ports", "zip", "zips", "postcode",
    "postcodes", "id", "ids", "version", "versions", "index", "indices", "level", "levels",
    "temperature", "temperatures", "latency", "latencies", "ms", "seconds", "price", "prices",
    "amount", "amounts", "quantity", "quantities", "qty", "total", "totals", "weight",
    "weights", "height", "heights",
})
_KEY_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


# Numbers a list of ordinary numbers can spell by chance (a Luhn check passes one run in ten):
# taken only over items shaped as such a number is written out, in groups of four (the last
# one to four), four-six-five or four-six-four (American Express, Diners Club), three-two-four,
# or one character per string item.
GROUPED_ENTITIES = frozenset({"CREDIT_CARD", "US_SSN", "IBAN_CODE"})


# Items that only separate groups (`["4111", "-", "1111", …]`): left out of the groups' shape.
SEPARATOR_ITEMS = frozenset({"-", " ", ".", "/", "_", ":", "|"})


def _grouped(items: Sequence[Leaf]) -> bool:
    items = [leaf for leaf in items if leaf.text and leaf.text not in SEPARATOR_ITEMS]
    widths = [len(leaf.text) for leaf in items]
    if not all(leaf.text.isalnum() for leaf in items):
        return False
    if all(width == 1 and leaf.kind == "string" for width, leaf in zip(widths, items)):
        return True
    return (all(width == 4 for width in widths[:-1]) and 1 <= widths[-1] <= 4
            or widths in ([4, 6, 5], [4, 6, 4], [3, 2, 4]))


def _may_be_grouped(numbers: Sequence[Leaf]) -> bool:
    """Whether a run of JSON numbers (which can spell only a number: a card, an SSN) holds
    two neighbours written as its groups (4 and 4, 4 and 6, or 3 and 2 digits); most lists of
    numbers do not, and are not read again."""
    widths = [len(leaf.text.lstrip()) for leaf in numbers]
    return any((a, b) in ((4, 4), (4, 6), (3, 2)) for a, b in pairwise(widths))


def list_of(path: str) -> str | None:
    """The path of the list whose item is at `path`; None when it is not a list item."""
    if path[-1:] != "]":
        return None
    opening = path.rfind("[")
    return path[:opening] if opening > 0 and path[opening + 1:-1].isdigit() else None


def item_runs(short: Sequence[tuple[int, Leaf]]) -> list[list[Leaf]]:
    """The runs worth reading among `short`: the walk's short list items (strings and numbers
    of at most `MAX_ITEM` characters whose path ends in `]`), each with its position in the
    walk. A run is items of one list at consecutive positions (any other leaf between them,
    an object key, a long item or an item of another list, ends it)."""
    runs: list[list[Leaf]] = []
    current: list[Leaf] = []
    parent: str | None = None
    previous = -2
    for position, leaf in short:
        path = leaf.path  # an item's path ends in `[<digits>]`, a quoted key's in `"]`
        leaf_parent = path[:path.rfind("[")] if path[-2:-1].isdigit() else None
        if leaf_parent is None or leaf_parent != parent or position != previous + 1:
            _keep(current, runs)
            current = []
        if leaf_parent is not None:
            current.append(leaf)
        parent, previous = leaf_parent, position
    _keep(current, runs)
    return runs


def _keep(run: list[Leaf], runs: list[list[Leaf]]) -> None:
    if (len(run) >= 2 and sum(len(leaf.text) for leaf in run) >= MIN_JOINED
            and (not all(leaf.kind == "number" for leaf in run) or _may_be_grouped(run))):
        runs.append(run)


def key_words(path: str) -> set[str]:
    """The lower-case words of a path's keys: `result.cardParts[0]` -> result, card, parts."""
    return {word.lower() for word in _KEY_WORD.findall(path)}


def _may_hold_card(item: Leaf) -> bool:
    """A list may hold a split card unless its own key names another kind of number and no
    key on its path names a card."""
    if item.key is None or not key_words(item.key) & OTHER_NUMBER_WORDS:
        return True
    return bool(key_words(list_of(item.path) or item.path) & CARD_WORDS)


def split_findings(run: Sequence[Leaf],
                   scan: Callable[[Leaf], list[Finding]]) -> list[Finding]:
    """Findings of `scan` in the run's items joined, one per item covered (whole), for those
    that cover two items or more; and an SSN in three digit strings of its groups' widths."""
    starts: list[int] = []
    offset = 0
    for leaf in run:
        starts.append(offset)
        offset += len(leaf.text)
    joined = "".join(leaf.text for leaf in run)
    parent = list_of(run[0].path) or run[0].path
    found: list[Finding] = []
    covered: set[tuple[str, str]] = set()
    _read_joined(joined, starts, run, parent, scan, found, covered)
    for first, last, text in _ssn_groups(run):
        if any(f.entity == "US_SSN" and f.start == 0 and f.end == len(text)
               for f in scan(Leaf(parent, run[0].key, text))):
            _report(run[first:last + 1], "US_SSN", 0.85, "us-ssn", found, covered)
    return found


def _ssn_groups(run: Sequence[Leaf]) -> list[tuple[int, int, str]]:
    """Three digit strings of the run in an SSN's groups (3, 2 and 4 digits, separator items
    between them allowed): the first and last item and their text read with dashes
    (`219-09-9998`; joined, the digits are an SSN only under an SSN's key). Strings only: an
    SSN's middle group is written with its zero (`09`), and honest triples of numbers of those
    widths are common."""
    digits = [i for i, leaf in enumerate(run) if leaf.kind == "string" and leaf.text.isdigit()
              and leaf.text.isascii()]
    groups: list[tuple[int, int, str]] = []
    for a, b, c in zip(digits, digits[1:], digits[2:]):
        if [len(run[i].text) for i in (a, b, c)] == [3, 2, 4] and all(
                run[i].text in SEPARATOR_ITEMS for i in (*range(a + 1, b), *range(b + 1, c))):
            groups.append((a, c, f"{run[a].text}-{run[b].text}-{run[c].text}"))
    return groups


def _report(items: Sequence[Leaf], entity: str, score: float, detector: str,
            found: list[Finding], covered: set[tuple[str, str]]) -> None:
    """One finding of `entity` on each of `items`, whole (once per item and entity)."""
    for leaf in items:
        if not leaf.text or (leaf.path, entity) in covered:
            continue
        covered.add((leaf.path, entity))
        found.append(Finding(entity=entity, path=leaf.path, start=0, end=len(leaf.text),
                             score=score, detector=f"{DETECTOR_PREFIX}:{detector}"))


def _read_joined(joined: str, starts: list[int], run: Sequence[Leaf], parent: str,
                 scan: Callable[[Leaf], list[Finding]], found: list[Finding],
                 covered: set[tuple[str, str]]) -> None:
    for finding in scan(Leaf(parent, run[0].key, joined)):
        if finding.entity not in JOINED_ENTITIES or finding.end <= finding.start:
            continue
        if finding.entity in GROUPED_ENTITIES and finding.detector.startswith(REVERSED_PREFIX):
            continue  # digits of random items read backwards as well: twice the chance
        if finding.entity == "CREDIT_CARD" and not (
                issued_card("".join(c for c in joined[finding.start:finding.end] if c.isdigit()))
                and _may_hold_card(run[0])):
            continue
        first = bisect_right(starts, finding.start) - 1
        last = bisect_right(starts, finding.end - 1) - 1
        if last <= first:
            continue  # inside one item: that item's own scan reports it
        if finding.entity in GROUPED_ENTITIES and not _grouped(run[first:last + 1]):
            continue
        _report(run[first:last + 1], finding.entity, finding.score, finding.detector, found,
                covered)

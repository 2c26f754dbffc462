"""Globs over action names and JSON paths.

`*` matches any run of characters (dots included), `?` one character, `[*]` any list index;
everything else is literal, so `customers[0].ssn` means what it says. A leading `*.` also
matches at the root: `*.internal_notes` covers `internal_notes` and `a.b.internal_notes`.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def compile_glob(glob: str) -> re.Pattern[str]:
    parts: list[str] = []
    i = 0
    while i < len(glob):
        if glob.startswith("[*]", i):
            parts.append(r"\[\d+\]")
            i += 3
        elif glob[i] == "*":
            parts.append(".*")
            i += 1
        elif glob[i] == "?":
            parts.append(".")
            i += 1
        else:
            parts.append(re.escape(glob[i]))
            i += 1
    body = "".join(parts)
    if glob.startswith("*."):
        body = "(?:.*\\.)?" + "".join(parts[2:])
    return re.compile(body + r"\Z")


def glob_match(glob: str, text: str) -> bool:
    return compile_glob(glob).match(text) is not None


@lru_cache(maxsize=1024)
def literal_tails(globs: tuple[str, ...]) -> tuple[str, ...]:
    """What a text any of `globs` matches ends with: each glob's literal text after its last
    `*`, `?` or `[*]` (the whole glob when it has none; of a leading `*.`, which may also match
    at the root, not the dot). A text that ends with none of them matches none of the globs
    (an empty tail: every text may match)."""
    return tuple(_literal_tail(glob) for glob in globs)


def _literal_tail(glob: str) -> str:
    tail = 0  # where the literal text after the last wildcard starts (as `compile_glob` reads)
    i = 0
    while i < len(glob):
        if glob.startswith("[*]", i):
            i += 3
            tail = i
        elif glob[i] in "*?":
            i += 1
            tail = i
        else:
            i += 1
    if tail == 1 and glob.startswith("*."):
        return glob[2:]
    return glob[tail:]


@lru_cache(maxsize=1024)
def compile_globs(globs: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that matches where any of `globs` does (each alternative is anchored at
    both ends, as `compile_glob`'s own pattern is)."""
    return re.compile("|".join(f"(?:{compile_glob(glob).pattern})" for glob in globs))


# Whether any of a policy's globs matches a text: the same action names, agent ids, topics and
# paths come again and again, so the answers are kept (a bounded number, short texts only:
# texts come from the records).
_MATCHED: dict[tuple[tuple[str, ...], str], bool] = {}
_MATCHED_KEPT = 8192
_MATCHED_TEXT = 256


def any_glob(globs: tuple[str, ...], text: str) -> bool:
    if not globs:
        return False
    if type(globs) is not tuple or len(text) > _MATCHED_TEXT:
        return compile_globs(tuple(globs)).match(text) is not None
    key = (globs, text)
    found = _MATCHED.get(key)
    if found is None:
        if len(_MATCHED) >= _MATCHED_KEPT:
            _MATCHED.clear()
        found = _MATCHED[key] = compile_globs(globs).match(text) is not None
    return found

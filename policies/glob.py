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
def compile_globs(globs: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern that matches where any of `globs` does (each alternative is anchored at
    both ends, as `compile_glob`'s own pattern is)."""
    return re.compile("|".join(f"(?:{compile_glob(glob).pattern})" for glob in globs))


def any_glob(globs: tuple[str, ...], text: str) -> bool:
    return bool(globs) and compile_globs(tuple(globs)).match(text) is not None

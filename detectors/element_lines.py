"""XML elements named for a credential whose value is a list item of its own: a file returned
as a list of lines shows `<apiToken>`, `    3f9a…`, `</apiToken>` as three strings, and no
pattern detector sees the tag and the value together (`xml-credential` does in one string).

The item between an opening and the matching closing tag, both alone in their items of the
same list, is reported when the tag names a credential and the value looks like one (any
literal for a password, a random-looking one for a token or key; `credential_words`).
"""

from __future__ import annotations

from collections.abc import Sequence

from detectors.finding import Finding
from detectors.patterns.credential_words import (
    is_password_value,
    is_secret_value,
    names_password,
    names_secret,
)
from detectors.walker import Leaf

DETECTOR_ID = "xml-credential-lines"
_MAX_TAG = 80


def _list_of(path: str) -> str | None:
    if not path.endswith("]"):
        return None
    opening = path.rfind("[")
    return path[:opening] if opening > 0 and path[opening + 1:-1].isdigit() else None


def _tag_name(text: str) -> str | None:
    """`apiToken` for `<apiToken>` (or `<ns:apiToken>`) alone in an item."""
    tag = text.strip()
    if not 3 <= len(tag) <= _MAX_TAG or tag[0] != "<" or tag[-1] != ">" or tag[1] in "/?!":
        return None
    name = tag[1:-1].strip()
    if not name or not all(c.isalnum() or c in "_.:-" for c in name):
        return None
    return name


def split_element_values(leaves: Sequence[Leaf]) -> list[Finding]:
    """One finding per list item that is the whole value of a credential's element."""
    found: list[Finding] = []
    for index in range(1, len(leaves) - 1):
        opening, value, closing = leaves[index - 1], leaves[index], leaves[index + 1]
        if not opening.text.lstrip().startswith("<") or not closing.text.lstrip().startswith("</"):
            continue
        name = _tag_name(opening.text)
        parent = _list_of(value.path)
        if (name is None or parent is None or _list_of(opening.path) != parent
                or _list_of(closing.path) != parent
                or closing.text.strip().replace(" ", "") != f"</{name}>"):
            continue
        word = name.rsplit(":", 1)[-1]
        literal = value.text.strip()
        if not names_secret(word) or not (
                is_password_value(literal) if names_password(word) else is_secret_value(literal)):
            continue
        start = value.text.index(literal)
        found.append(Finding(entity="CREDENTIAL", path=value.path, start=start,
                             end=start + len(literal), score=0.85, detector=DETECTOR_ID))
    return found

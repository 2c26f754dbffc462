"""Private keys whose lines are separate strings: a file returned as a list of lines, a key
written as one string literal per line, a log split into records.

The pattern detectors see one string at a time, so a key block spread over list items shows
them only its header (`private-key-header`). Here the items that follow a header in the same
list are reported as long as they read as key material (base64 lines, PEM headers such as
`Proc-Type:`), up to and including the `-----END … PRIVATE KEY-----` line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from detectors.finding import Finding
from detectors.walker import Leaf

DETECTOR_ID = "private-key-lines"
MAX_LINES = 400
_BEGIN = re.compile(r"-----BEGIN[ A-Z0-9_-]{0,60}PRIVATE KEY(?: BLOCK)?-----")
_END = re.compile(r"-----END[ A-Z0-9_-]{0,60}PRIVATE KEY(?: BLOCK)?-----")
_INDEX = re.compile(r"\[\d+\]\Z")
_KEY_LINE = re.compile(r"[A-Za-z0-9+/=]{8,200}|(?:Proc-Type|DEK-Info|Version|Comment|Hash):.{0,200}|")
_WRAPPING = " \t\r\n\"'`,;+()\\n"


def _parent(path: str) -> str | None:
    """The list a leaf is an item of; None when it is not a list item."""
    if not path.endswith("]"):  # most leaves: no search
        return None
    found = _INDEX.search(path)
    return path[:found.start()] if found else None


def _key_line(text: str) -> bool:
    core = text.strip(_WRAPPING).replace("\\n", "").strip(_WRAPPING)
    return _KEY_LINE.fullmatch(core) is not None


def split_key_lines(leaves: Sequence[Leaf]) -> list[Finding]:
    """One finding per list item that continues a private key opened by an earlier item."""
    found: list[Finding] = []
    block: str | None = None
    lines = 0
    for leaf in leaves:
        parent = _parent(leaf.path)
        if block is not None and parent == block and lines < MAX_LINES:
            end = "-----END" in leaf.text and _END.search(leaf.text) is not None
            if end or _key_line(leaf.text):
                found.append(Finding(entity="CREDENTIAL", path=leaf.path, start=0,
                                     end=len(leaf.text), score=0.95, detector=DETECTOR_ID))
                lines += 1
                if end:
                    block = None
                continue
            block = None
        begin = _BEGIN.search(leaf.text) if "-----BEGIN" in leaf.text else None
        if begin and parent is not None and not _END.search(leaf.text, begin.end()):
            block, lines = parent, 0
    return found

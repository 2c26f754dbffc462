"""A name found once in a leaf, found again wherever it is repeated there: `directed by Radomir
Kowalczyk and starring Kowalczyk`, `my name is Theodora Hutchins but everyone calls me Theodora`.

Once a detector or the model has found a person's full name, its words elsewhere in the same
text are that person: the second mention usually has less context (a surname alone, a given
name alone) than the first. Only the words of names of two words or more, written as names,
are looked for again (a single word is too often the model's mistake: `Tcl`, `Wget`); not
everyday English words, function words or initials; and only as written (same capitals).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.finding import Finding
from detectors.gazetteer import EVERYDAY_WORDS, GIVEN_NAMES, SURNAMES

ENTITY = "PERSON"
DETECTOR = "person-echo"
SCORE = 0.6
_SPACED = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]*)*(?:\s+[^\W\d_]+(?:[-'’.][^\W\d_]*)*)+")
_PART = re.compile(r"[-'’]\w")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’](?![sS]\b)[^\W\d_]+)*")
_MAX_NAMES = 32  # distinct name words looked for per leaf


def _echoes(word: str) -> bool:
    lowered = word.lower()
    return len(word) > 2 and lowered not in STOP_WORDS and lowered not in EVERYDAY_WORDS


def _name_words(value: str, *, lower_case: bool) -> list[str]:
    """The words of a full name worth looking for again: two words or more (initials aside),
    each capitalised like a name (`Kowalczyk`, `O'Neil`; not `DejaVu`, `GNU`) or each in
    lower case; not a single word, which the model often takes for a name by mistake."""
    words = [w for w in _WORD.findall(value) if len(w) > 1]
    if (len([w for w in words if len(w) > 2]) < 2 or not _SPACED.fullmatch(value)
            or not (all(map(_capitalised, words)) or (lower_case and all(map(str.islower, words))))):
        return []
    return [w for w in words if _echoes(w)]


def _known(value: str) -> bool:
    """A known given name or surname among the words: the model's names need one to be
    repeated (`Debian Tcl` is not a person)."""
    return any(w.lower() in GIVEN_NAMES or w.lower() in SURNAMES for w in _WORD.findall(value))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not any(c.isupper() for c in _PART.sub("", word[1:]))


def echoed_names(text: str, path: str, findings: list[Finding]) -> list[Finding]:
    """PERSON findings for the repeats in `text` of the words of its PERSON `findings` that no
    finding covers yet. Linear in the text: one pass over its words."""
    names: set[str] = set()
    lower_case = text.islower()
    for finding in findings:
        if finding.entity == ENTITY and (not finding.detector.startswith("spacy-")
                                         or _known(text[finding.start:finding.end])):
            names.update(_name_words(text[finding.start:finding.end], lower_case=lower_case))
    if not names or len(names) > _MAX_NAMES:
        return []
    ordered = sorted((f.start, f.end) for f in findings)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))  # the furthest end up to each start
    echoed: list[Finding] = []
    for match in _WORD.finditer(text):
        if match.group() not in names:
            continue
        before = bisect_right(starts, match.start())
        if before and reach[before - 1] >= match.end():
            continue  # inside a finding already
        echoed.append(Finding(entity=ENTITY, path=path, start=match.start(), end=match.end(),
                              score=SCORE, detector=DETECTOR))
    return echoed

"""Correcting the small model's label for names: it often calls a full name an organisation,
a product or a work of art. An entity that reads as a person's name (a known given name first,
a middle initial, a known surname last, or a title such as `Dr.` just before it) is reported as
PERSON whatever the model said."""

from __future__ import annotations

import re

from detectors.gazetteer import is_initial, is_name_word, looks_like_full_name

# Labels that the model gives names by mistake.
RELABELLED = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "GPE", "LOC", "NORP"})
_TITLE_BEFORE = re.compile(r"(?i)\b(?:mr|mrs|ms|mx|dr|prof|miss)\.?[ \t]*\Z")


def reads_as_person(text: str, before: str) -> bool:
    """`text` is an entity's text, `before` the text just before it."""
    words = text.split()
    if looks_like_full_name(words, surname_is_evidence=True):
        return True
    return (bool(words) and _TITLE_BEFORE.search(before[-12:]) is not None
            and all(is_name_word(w) or is_initial(w) for w in words))

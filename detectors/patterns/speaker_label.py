from collections.abc import Sequence

from detectors.gazetteer import NAME_WORD, is_given_name, is_name_word
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

# `Nicole: Remember me?` at the start of a line; the label is one or two name words.
_LABEL = rf"[ \t]*({NAME_WORD}(?:[ \t]{NAME_WORD})?)[ \t]*:"
# What follows a label's colon: not a slash, a backslash or a digit (`http:/`, `10:30`).
_AFTER_LABEL = r"(?:[^/\\\d\n][^\n]*)?"
_LABELS = LinearRegex(rf"(?m)^(?P<m>{_LABEL})(?:[^/\\\d]|\z)")
# Speakers named by their role, not by name: allowed in a transcript, never reported.
_ROLES = frozenset({"agent", "assistant", "bot", "caller", "customer", "guest", "host",
                    "interviewer", "moderator", "operator", "support", "system", "user"})


def _spans(value: str) -> Sequence[tuple[int, int]]:
    return [(m.start(2), m.end(2)) for m in _LABELS.finditer(value)
            if (m.group(2) or "").lower() not in _ROLES]


def _speakers(value: str) -> bool:
    """Every label reads as a name and one is a known given name: a chat transcript, not
    `Subject:`/`Date:` headers, `Host:`/`Accept:` HTTP headers or `ERROR:` log lines."""
    labels = [value[a:b].split() for a, b in _spans(value)]
    return (all(is_name_word(w) and not w.isupper() for label in labels for w in label)
            and any(is_given_name(label[0]) for label in labels))


SPEAKER_LABEL = PatternDetector(
    id="speaker-label",
    entity="PERSON",
    # The speakers of a chat transcript: two or more consecutive lines that start with a name
    # and a colon (`Ubul: What a wife.` / `Nicole: Remember me, Mary?`), once one speaker is a
    # known given name. Each label is its own finding.
    pattern=LinearRegex(
        rf"(?m)^(?P<m>(?:{_LABEL}{_AFTER_LABEL}\n)+{_LABEL}{_AFTER_LABEL})(?:\n|\z)"
    ),
    score=0.6,
    keywords=(":",),
    validate=_speakers,
    group=1,
    members=_spans,
)

"""PERSON in text written all in lower case (chat messages, search queries, scraped lists), where
neither NER nor the capitalised-name patterns can see a name.

In such text a word is a name by the lists, not by its shape: a known given name that is not an
everyday English word (`theodora`, not `grace` or `frank`: `detectors/data/everyday_words.txt`),
alone in a sentence or followed by other words that are not everyday words (`zinaida
morozova`); a word, a middle initial and a known surname (`tamsin r whitcombe`); a name after a
cue that names one (`my name is`, `name:`, `call me`, `dear`, `mr.`); or a list of given names.
Words of code, paths, URLs and command lines are not read. Every step looks a bounded distance
around a word, so a leaf costs time linear in its length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import EVERYDAY_WORDS, GIVEN_NAMES, SURNAMES
from detectors.linear import LOWER_CASE_LEAF, LinearRegex
from detectors.pattern import PatternDetector

# A word: letters, with inner hyphens or apostrophes (`o'neil`), or an initial `t.`.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’](?![sS]\b)[^\W\d_]+)*(?:\.(?![^\W\d_]))?")
# Cues after which the next words are a person's name.
_STRONG_CUE = re.compile(
    r"\b(?:my name is|my name's|(?:full |first |last |given |maiden |family |middle )?name:"
    r"|(?:first|last|given|maiden|family|middle) name (?:is|was)|surname(?: is|:)"
    r"|call me|calls me|called me|dear|(?:mr|mrs|ms|mx|dr|prof)\.?)[ \t]*\n?[ \t]*")
_NOT_A_NAME = STOP_WORDS | {"none", "unknown", "n/a", "na", "null", "redacted", "sir", "madam",
                            "customer", "user", "friend", "all", "team", "everyone"}
_MAX_WORDS = 4
_MAX_LIST = 40  # members of a list; a longer run of words and commas is read as it goes on
_AROUND = 200  # characters either side of a word that its neighbours are looked for in
_OPEN = "(\"'“‘[<>*-–—"
_CLOSE = ",.;:!?)\"'”’]"
_POSSESSIVE = re.compile(r"\A['’]s")
_CODE_TOKEN = re.compile(r"[/\\=@_<>{}\[\]|#$%^*+~`\d]|\A-")


def _letters(word: str) -> str:
    return word.rstrip(".")


def _end(word: re.Match[str]) -> int:
    """Where a word ends, less the full stop after it unless it is an initial."""
    return word.end() - (word.group().endswith(".") and not is_initial(word.group()))


def is_initial(word: str) -> bool:
    return len(_letters(word)) == 1


def _foreign(word: str) -> bool:
    """Letters beyond ASCII (`žilková`, `jørgensen`): not an English word."""
    return not word.isascii()


def is_given(word: str) -> bool:
    """A known given name that is not an everyday word: `patricia`, not `grace`, `will`."""
    return word in GIVEN_NAMES and word not in EVERYDAY_WORDS and word not in _NOT_A_NAME


def _surname_like(word: str) -> bool:
    """A word that can end a lower-case name: a known surname or given name, or a foreign
    word, that is not an everyday word."""
    return (word not in _NOT_A_NAME and word not in EVERYDAY_WORDS and len(word) > 1
            and (word in SURNAMES or word in GIVEN_NAMES or _foreign(word)))


def _plain(word: str) -> bool:
    """A word that may be part of a name: two letters or more, not a function word nor an
    everyday word (`krylova`, `desrosiers`, `ryan`; not `the`, `said`, `grace`)."""
    return (len(word) > 1 and word not in _NOT_A_NAME and word not in EVERYDAY_WORDS
            and ("-" not in word or not any(part in EVERYDAY_WORDS or part in _NOT_A_NAME
                                            for part in word.split("-"))))


def _name_after(words: Sequence[re.Match[str]], text: str, first: int, *, cue: bool) -> int:
    """How many words from `first` form a name (0: none). After a strong cue, any word that
    may be part of a name (or a given name, even an everyday one: `my name is grace`) and the
    words of that kind after it on the same line; else a known given name and such words after
    it, or a word, a middle initial and a known surname (`tamsin r whitcombe`)."""
    head = _letters(words[first].group())
    if cue:
        if head in _NOT_A_NAME or is_initial(head) or not (_plain(head) or head in GIVEN_NAMES):
            return 0
    elif not _plain(head):
        return 0
    count, initials = 1, 0
    while first + count < len(words) and count < _MAX_WORDS:
        gap = text[words[first + count - 1].end():words[first + count].start()]
        if not gap or gap.strip(" \t"):
            break
        word = _letters(words[first + count].group())
        if is_initial(words[first + count].group()):
            initials += 1
        elif not _plain(word):
            break
        count += 1
    while count > 1 and is_initial(words[first + count - 1].group()):
        initials -= 1
        count -= 1
    if cue or is_given(head):
        return count
    last = _letters(words[first + count - 1].group())
    return count if initials and count > 2 and _surname_like(last) else 0


def _list_members(words: Sequence[re.Match[str]], text: str,
                  first: int) -> tuple[list[int], int]:
    """The positions of the words from `first` that form a list of one-word names
    `a, b, c and d` (three or more, at least half of them known given names, none an everyday
    word), or none; and the first word from which another list could start (a list that
    starts before it and after `first` ends where this one ended), so each word is walked
    over a bounded number of times."""
    members = [first]
    index = first
    while index + 1 < len(words) and len(members) < _MAX_LIST:
        gap = text[words[index].end():words[index + 1].start()].strip(" \t")
        if gap == "," and words[index + 1].group() not in {"and", "or"}:
            index += 1
            members.append(index)
            continue
        last = index + 2
        if (gap in {"", ","} and words[index + 1].group() == "and" and last < len(words)
                and not text[words[index + 1].end():words[last].start()].strip(" \t")):
            members.append(last)
        elif gap in {"&", ", &"}:
            members.append(index + 1)
        else:
            return [], members[-1] + 1
        break
    names = [_letters(words[i].group()) for i in members]
    bad = [i for i, n in zip(members, names, strict=True)
           if n in _NOT_A_NAME or n in EVERYDAY_WORDS or is_initial(n)]
    if bad:
        return [], bad[-1] + 1
    if len(names) < 3 or 2 * sum(map(is_given, names)) < len(names):
        return [], members[-1] + 1
    return members, members[-1] + 1


def _standalone(text: str, word: re.Match[str]) -> bool:
    """A word of prose: not part of an address, a path, a URL or an identifier (`peter.sh`,
    `dgit/sid`, `sha256`)."""
    before = text[word.start() - 1] if word.start() else " "
    after = _POSSESSIVE.sub("", text[word.end():word.end() + 4], count=1)[:2]
    return (before.isspace() or before in _OPEN) and (
        not after or after[0].isspace() or (after[0] in _CLOSE and (
            len(after) == 1 or after[1].isspace() or after[1] in _CLOSE)))


def _prose_around(text: str, word: re.Match[str]) -> bool:
    """The whitespace-separated tokens either side of a word's own are not code, paths,
    options, URLs or numbers (`deb http://…`, `--reviewer ann --groups`), as in a sentence."""
    left = text[max(0, word.start() - _AROUND):word.start()]
    right = text[word.end():word.end() + _AROUND]
    before, after = left.rsplit(None, 2), right.split(None, 2)
    neighbours = ((before[-2:-1] if before and not left[-1:].isspace() else before[-1:])
                  + (after[1:2] if after and not right[:1].isspace() else after[:1]))
    return not any(_CODE_TOKEN.search(token) for token in neighbours)


def lower_case_names(text: str) -> list[tuple[int, int]]:
    """The spans of the names in `text`, a leaf with no capital letter."""
    words = [w for w in _WORD.finditer(text) if _standalone(text, w)]
    cue_ends = {cue.end() for cue in _STRONG_CUE.finditer(text)}  # where a cued name starts
    spans: list[tuple[int, int]] = []
    index = next_list = 0
    while index < len(words):
        start = words[index].start()
        strong = start in cue_ends
        listed: list[int] = []
        if index >= next_list:
            listed, next_list = _list_members(words, text, index)
        if listed:
            spans.extend((words[i].start(), _end(words[i])) for i in listed)
            index = listed[-1] + 1
            continue
        count = _name_after(words, text, index, cue=strong)
        if count == 1 and not strong and not _prose_around(text, words[index]):
            count = 0
        if count:
            spans.append((words[index].start(), _end(words[index + count - 1])))
            index += count
            continue
        index += 1
    return spans


PERSON_LOWER_CASE = PatternDetector(
    id="person-lower-case",
    entity="PERSON",
    # Names in a leaf written all in lower case: `follow up with theodora hutchins`,
    # `my name is ignatius`, `hi ryan,`, `we invited ophelia, cornelius and winifred` (see
    # `lower_case_names`); the whole leaf is the match, each name a finding.
    pattern=LinearRegex(LOWER_CASE_LEAF),
    score=0.6,
    members=lower_case_names,
    group=1,
)

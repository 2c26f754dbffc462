import re
from collections.abc import Iterator

from detectors.gazetteer import DEMONYMS, PEOPLES, names_pattern
from detectors.linear import WORD, After, LinearRegex
from detectors.pattern import PatternDetector

# Everyday words in lower case: `polish the shoes`, `a pole`, `orthodox methods`.
_CAPITALISED_ONLY = frozenset({"Polish", *(p.rstrip("*") for p in PEOPLES if p.endswith("*"))})


# Part of an organisation's or an event's name: `European Union`, `Polish Open`.
_ORGANISATION = After(r"[ \t]+(?:Union|Commission|Parliament|Council|Court|Central Bank|Bank"
                      r"|Championship|League|Cup|Open|Army|Navy|Air Force|Airlines|Railways"
                      r"|Party|Church|Embassy|Consulate)\b", group=1)


def _forms(name: str) -> Iterator[str]:
    """`Kenyan`, `Kenyans`; `Englishman`, `Englishmen`; `Swiss`; and the forms people write
    that the lists lack: a plural made with `s` whatever the word (`Japaneses`, `Englishmans`),
    `-ean` and `-ian` for each other (`Belizian`, `Argentinian`)."""
    for spelling in _spellings(name):
        yield spelling
        if spelling.endswith("man"):
            yield spelling[:-3] + "men"
        if not spelling.endswith(("ss", "x")):
            yield spelling + "s"


def _spellings(name: str) -> tuple[str, ...]:
    if name.endswith("ean"):
        return name, name[:-3] + "ian"
    if name.endswith("ian") and len(name) > 6:
        return name, name[:-3] + "ean"
    return (name,)


# Nationalities that are also languages: after `studying`, `speak`, `written in`…, or before
# `language`, `class`, `lessons`…, the word is the language (`studying English`, `in French`).
_LANGUAGES = frozenset({
    "albanian", "arabic", "armenian", "bulgarian", "chinese", "croatian", "czech", "danish",
    "dutch", "english", "estonian", "finnish", "french", "georgian", "german", "greek",
    "hebrew", "hindi", "hungarian", "icelandic", "indonesian", "irish", "italian", "japanese",
    "korean", "latvian", "lithuanian", "malay", "norwegian", "persian", "polish", "portuguese",
    "romanian", "russian", "serbian", "slovak", "slovenian", "spanish", "swahili", "swedish",
    "thai", "turkish", "ukrainian", "urdu", "vietnamese", "welsh",
})
_LANGUAGE_CUE = re.compile(
    r"(?i)(?:studying|study|studies|studied|learning|learn|learns|learned|learnt|teaching|teach"
    r"|teaches|taught|speaking|speak|speaks|spoke|spoken|fluent in|fluent|written in"
    r"|translated into|translated to|translate into|translate to|subtitled in|dubbed in)[ \t]+")
_LANGUAGE_AFTER = After(r"[ \t]+(?i:language|languages|class|classes|course|courses|lesson"
                        r"|lessons|literature|grammar|translation|translations|subtitles"
                        r"|teacher|teachers|dictionary|speakers?)\b", group=1)

_BASE = {form.lower(): name for name in (*DEMONYMS, *(p.rstrip("*") for p in PEOPLES))
         for form in _forms(name)}


def is_people(word: str) -> bool:
    """A nationality, people, faith or political group of the lists, in any form: `Kenyans`."""
    return " ".join(word.split()).lower() in _BASE


def _cue_length(value: str) -> int:
    cue = _LANGUAGE_CUE.match(value)
    return cue.end() if cue else 0


def _people(value: str) -> bool:
    """A people, not a language after its cue (`studying English`, `in French`); and written
    as a group's name (see `_written_as_a_group`)."""
    cue = _cue_length(value)
    if cue and " ".join(value[cue:].split()).lower() in _LANGUAGES:
        return False
    return _written_as_a_group(value[cue:])


def _without_cue(value: str) -> list[tuple[int, int]]:
    return [(_cue_length(value), len(value))]


def _written_as_a_group(value: str) -> bool:
    """`Kenyans`, `KENYANS`, `kenyans`, `South Africans`; not `POLISH`-less `polish`, `pole`."""
    value = " ".join(value.split())
    if value.isupper() or all(word[:1].isupper() for word in value.split()):
        return True
    return value == value.lower() and _BASE[value] not in _CAPITALISED_ONLY


NATIONALITY = PatternDetector(
    id="nationality",
    entity="NRP",
    # Nationalities, peoples, faiths and political groups (detectors/data/demonyms.txt and
    # peoples.txt), singular or plural, capitalised or in lower case (`proud kenyans`,
    # `I am cambodian`): the NER model finds few of these in lower case or in the plural.
    # Words that are everyday words in lower case (`polish`, `pole`, `liberal`) count only
    # capitalised; before `Union`, `Party`, `Embassy`… the word is part of a name, and a
    # language after `studying`, `speak`, `written in`… or before `language`, `class`… is not a
    # people. Yields to NER where the model found an entity over it (`Christian` the person).
    pattern=LinearRegex(
        rf"(?i)(?:^|[^{WORD}@./-])(?P<m>(?:{_LANGUAGE_CUE.pattern[4:]})?(?:"
        + names_pattern(_BASE)
        + rf"))(?:[^{WORD}@-]|\z)",
        context_before=True,
        after=(_ORGANISATION, _LANGUAGE_AFTER),
    ),
    score=0.6,
    validate=_people,
    members=_without_cue,
    group=1,
    defers_to_ner=True,
)

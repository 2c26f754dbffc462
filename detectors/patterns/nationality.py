import re
from collections.abc import Iterator

from detectors.gazetteer import DEMONYMS, PEOPLES
from detectors.linear import WORD, After, LinearRegex
from detectors.pattern import PatternDetector

# No plural of their own (`the French`, `the Swiss`, `Japanese`): adjectives used as nouns.
_NO_PLURAL = ("ese", "sh", "ss", "ench", "tch", "x", "ois", "Inuit", "Maori", "Orthodox")
# Everyday words in lower case: `polish the shoes`, `a pole`, `orthodox methods`.
_CAPITALISED_ONLY = frozenset({"Polish", *(p.rstrip("*") for p in PEOPLES if p.endswith("*"))})


# Part of an organisation's or an event's name: `European Union`, `Polish Open`.
_ORGANISATION = After(r"[ \t]+(?:Union|Commission|Parliament|Council|Court|Central Bank|Bank"
                      r"|Championship|League|Cup|Open|Army|Navy|Air Force|Airlines|Railways"
                      r"|Party|Church|Embassy|Consulate)\b", group=1)


def _forms(name: str) -> Iterator[str]:
    """`Kenyan`, `Kenyans`; `Englishman`, `Englishmen`; `Swiss`."""
    yield name
    if name.endswith("man"):
        yield name[:-3] + "men"
    elif not name.endswith(_NO_PLURAL):
        yield name + "s"


_BASE = {form.lower(): name for name in (*DEMONYMS, *(p.rstrip("*") for p in PEOPLES))
         for form in _forms(name)}


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
    # capitalised; before `Union`, `Party`, `Embassy`… the word is part of a name. Yields to NER where the model found an entity over it (`Christian` the
    # person).
    pattern=LinearRegex(
        rf"(?i)(?:^|[^{WORD}@./-])(?P<m>"
        + "|".join(re.escape(form).replace(r"\ ", r"[ \t]+")
                   for form in sorted(_BASE, key=len, reverse=True))
        + rf")(?:[^{WORD}@-]|\z)",
        context_before=True,
        after=(_ORGANISATION,),
    ),
    score=0.6,
    validate=_written_as_a_group,
    group=1,
    defers_to_ner=True,
)

"""Phone numbers in the formats of many countries, checked by `phonenumbers` (libphonenumber's
metadata, a presidio dependency): `+41 (0)96 471 07 95`, `0961-7596216`, `07700 063 966`,
`28-64-66-98 office`.

A candidate is a run of digits with the separators phone numbers are written with. One written
in international form (`+41 …`, `0041 …`) is reported when it is a possible number of its
country. One in national form is reported only with evidence, since almost any digit run is a
possible number somewhere: a context word before it (`phone`, `fax`, `call`), a label after it
(`… office`, `…-Fax`), or a JSON key that says phone; and it must be a possible number in one of
the configured regions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from detectors.finding import Finding
from detectors.linear import LinearRegex
from detectors.pattern import Decided, PatternDetector, count_digits, made_finding
from detectors.walker import Leaf

# Regions tried for numbers in national form, in order: the main markets of North America,
# Europe, Asia-Pacific, Latin America and Africa.
DEFAULT_REGIONS: tuple[str, ...] = (
    "US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "IE",
    "PT", "PL", "CZ", "HU", "GR", "RO", "IS", "CA", "AU", "NZ", "IN", "JP", "CN", "KR", "SG",
    "HK", "IL", "TR", "BR", "MX", "AR", "ZA", "NG", "KE", "AE",
)
# A phone number's name in the main languages of those regions, written before it (`Tél :`,
# `tlf.`, `puh.`, `Handy`, `móvil`, `celular`, `電話`, `전화`, `sđt`): presidio's context words
# beyond English. Written for Afterguard.
OTHER_LANGUAGES = (
    "tél", "téléphone", "portable", "numéro", "appelez", "appeler", "tlf", "puh", "handy",
    "mobil", "rufnummer", "anrufen", "erreichbar", "móvil", "movil", "celular", "número",
    "numero", "nummer", "cel.", "cel:", "llámame", "ligue", "chiama", "bel me", "bel ons",
    "zadzwoń", "telp", "kontakt", "contacto", "contatto", "電話", "电话", "手机", "携帯",
    "전화", "휴대폰", "điện thoại", "sđt", "тел", "звоните",
)
_LABEL_AFTER = re.compile(r"[ \t]?-?[ \t]?(?:office|fax|mobile|cell|home|work|desk|phone|tel)\b")
_CANDIDATE = LinearRegex(
    r"((?:\+|\(\+?)?\d[\d \t().\-/]{4,24}\d(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?)"
)


@dataclass(frozen=True)
class PhoneNumberRegionsDetector(PatternDetector):
    """A pattern detector whose last check is libphonenumber's, over `regions`."""

    regions: tuple[str, ...] = DEFAULT_REGIONS

    def matches(self, leaf: Leaf, lowered: str, keyed: bool,
                decided: Decided | None = None) -> Iterator[Finding]:
        if not keyed and not self._may_be_phone(leaf.text, lowered):
            return
        words: bool | None = None  # `_any_word`, read once, when a candidate first needs it
        for match in self.pattern.finditer(leaf.utf8):
            value = match.group(1) or ""
            start = match.start(1)
            digits = (count_digits(value) if value.isascii()
                      else sum(c.isdigit() for c in value))
            if not 7 <= digits <= 17:
                continue
            international = value.startswith(("+", "(+", "00"))
            if keyed:
                evidence = True
            else:
                if words is None:
                    words = self._any_word(lowered)
                evidence = ((words and self._words_before(lowered, start))
                            or _LABEL_AFTER.match(lowered, match.end(1)) is not None)
            if not international and not evidence:
                continue
            score = min(1.0, self.score + (self.context_boost if evidence else 0.0))
            if decided and decided.get((start, start + len(value)), -1.0) >= score:
                continue  # found already (`phone-number`): no parse
            if not self._possible(value, international):
                continue
            yield made_finding(self.entity, leaf.path, start, start + len(value), score, self.id)

    def _any_word(self, lowered: str) -> bool:
        """Whether a context word lies anywhere in `lowered` (a leaf's text in lower case), read
        once per text: where none does, none lies before any candidate, and the candidates need
        no search for one each (a log line's digit runs)."""
        return self._any_context_word(lowered)

    def _may_be_phone(self, text: str, lowered: str) -> bool:
        """Whether a candidate of `text` can be reported without a phone key: one in
        international form needs a `+` or a `00` in the text, one in national form a context
        word or a label somewhere in it (most digit runs, a card's, an SSN's, a reference's,
        have none of them: their candidates need no Python step each)."""
        return ("+" in text or "00" in text or _LABEL_AFTER.search(lowered) is not None
                or self._any_context_word(lowered))

    def _possible(self, value: str, international: bool) -> bool:
        text = "+" + value[2:] if value.startswith("00") else value.replace("(+", "+", 1)
        for region in (None,) if international else self.regions:
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(number):
                return True
        return False


PHONE_NUMBER_REGIONS = PhoneNumberRegionsDetector(
    id="phone-number-regions",
    entity="PHONE_NUMBER",
    pattern=_CANDIDATE,
    score=0.6,
    context_keys=("phone", "mobile", "tel", "fax", "cell", "contact"),
    context_words=("phone", "call", "tel", "mobile", "cell", "fax", "contact", "reach", "text me",
                   "sms", "whatsapp", "dial", "office", "desk", "ring", "number", "registered",
                   *OTHER_LANGUAGES),
    context_window=40,
    context_boost=0.25,
    min_digits=7,
)

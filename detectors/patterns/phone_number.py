from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.phone_number_regions import OTHER_LANGUAGES

PHONE_NUMBER = PatternDetector(
    id="phone-number",
    entity="PHONE_NUMBER",
    # North American and `+`-international formats with separators; bare digit runs are left alone.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}+])(?P<m>(?:\+?1[ .-]?)?(?:\(\d{{3}}\)\s?|\d{{3}}[ .-])\d{{3}}[ .-]\d{{4}}"
        r"|\+(?:[2-9]\d{0,2})[ .-]?\d{1,4}(?:[ .-]\d{2,4}){2,4})(?:\D|\z)",
        context_before=True,
    ),
    score=0.7,
    context_keys=("phone", "mobile", "tel", "fax", "cell"),
    min_digits=6,
)

_DATE_SHAPED = LinearRegex(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")


def _phone_like(value: str) -> bool:
    digits = sum(c.isdigit() for c in value.split("x")[0])
    return 7 <= digits <= 15 and not _DATE_SHAPED.fullmatch(value)


PHONE_NUMBER_IN_CONTEXT = PatternDetector(
    id="phone-number-context",
    entity="PHONE_NUMBER",
    # Any grouped digit sequence (`0489 25 37 29`, `01.84.17.61.18`, `(579)888-3058`) when the
    # text or key says it is a phone number.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}+-])(?P<m>(?:\+|00)?(?:\(\d{{1,4}}\)[ .-]?)?\d{{2,5}}"
        r"(?:[ .-]\d{2,8}){1,5}"
        rf"(?:\s?(?:x|ext\.?)\s?\d{{1,5}})?)(?:[^{WORD}-]|\z)",
        context_before=True,
    ),
    score=0.45,
    context_keys=("phone", "mobile", "tel", "fax", "cell", "contact"),
    context_words=("phone", "call", "tel", "mobile", "cell", "fax", "number", "contact", "reach",
                   "text me", "sms", "whatsapp", "messages", "dial", "office", "ring",
                   *OTHER_LANGUAGES),
    context_window=50,
    requires_context=True,
    context_boost=0.3,
    validate=_phone_like,
    group=1,
    min_digits=4,
)

from presidio_analyzer.predefined_recognizers.generic.iban_recognizer import IbanRecognizer

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

# presidio's country formats and mod-97 check decide; the regex only finds candidates.
_PRESIDIO = IbanRecognizer()


def _valid_iban(value: str) -> bool:
    """In capitals or all in lower case (`gb82west1234…`, text typed or lowered); the check
    runs on capitals."""
    letters = [c for c in value if c.isalpha()]
    if not (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        return False
    return bool(_PRESIDIO.validate_result(value.upper()))


IBAN = PatternDetector(
    id="iban",
    entity="IBAN_CODE",
    pattern=LinearRegex(r"\b((?i:[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?))\b"),
    score=0.9,
    context_keys=("iban", "account", "bank"),
    validate=_valid_iban,
    group=1,
    min_digits=2,
)

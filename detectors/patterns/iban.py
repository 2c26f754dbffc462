from presidio_analyzer.predefined_recognizers.generic.iban_recognizer import IbanRecognizer

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

# presidio's country formats and mod-97 check decide; the regex only finds candidates.
_PRESIDIO = IbanRecognizer()

IBAN = PatternDetector(
    id="iban",
    entity="IBAN_CODE",
    pattern=LinearRegex(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b"),
    score=0.9,
    context_keys=("iban", "account", "bank"),
    validate=lambda value: bool(_PRESIDIO.validate_result(value)),
    group=1,
    min_digits=2,
)

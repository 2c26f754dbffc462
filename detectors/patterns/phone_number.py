import re

from detectors.pattern import PatternDetector

PHONE_NUMBER = PatternDetector(
    id="phone-number",
    entity="PHONE_NUMBER",
    # North American and international formats with separators; bare digit runs are left alone.
    pattern=re.compile(
        r"(?<![\w+])(\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)"
        r"|(?<![\w+])\+(?:[2-9]\d{0,2})[ .-]?\d{1,4}(?:[ .-]\d{2,4}){2,4}(?!\d)"
    ),
    score=0.7,
    context_keys=("phone", "mobile", "tel", "fax", "cell"),
)

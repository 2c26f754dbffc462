from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

PYPI_TOKEN = PatternDetector(
    id="pypi-token",
    entity="CREDENTIAL",
    # A macaroon whose first bytes encode the `pypi.org` location.
    pattern=LinearRegex(rf"\b(?P<m>pypi-AgEIcHlwaS5vcmc[{WORD}-]{{50,}})(?:[^{WORD}-]|\z)"),
    score=0.95,
    keywords=("pypi-ageichlwas5vcmc",),
    group=1,
)

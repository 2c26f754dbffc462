import re

from detectors.pattern import PatternDetector

PYPI_TOKEN = PatternDetector(
    id="pypi-token",
    entity="CREDENTIAL",
    # A macaroon whose first bytes encode the `pypi.org` location.
    pattern=re.compile(r"\b(pypi-AgEIcHlwaS5vcmc[\w-]{50,})(?![\w-])"),
    score=0.95,
    keywords=("pypi-ageichlwas5vcmc",),
    group=1,
)

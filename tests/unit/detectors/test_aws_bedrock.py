"""AWS_BEDROCK_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.aws_bedrock import AWS_BEDROCK_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('AWS_BEARER_TOKEN_BEDROCK=ABSKDrzIe3mGxHoL43ScQQYK8TUkl1JYnrw8tdVIIfHmxOCTQE8phIECUyUALDgxkhOFosZYG9uVqv8ExVuo5Zbcb99JpX9M02bB3f8nUVRBoMFTXptvp7WhPvFMKFl8zE8Ajlb0', None, ['ABSKDrzIe3mGxHoL43ScQQYK8TUkl1JYnrw8tdVIIfHmxOCTQE8phIECUyUALDgxkhOFosZYG9uVqv8ExVuo5Zbcb99JpX9M02bB3f8nUVRBoMFTXptvp7WhPvFMKFl8zE8Ajlb0']),
    ('AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t&X-Amz-Credential=cdkbx9ZFqJDGf1rB853I', None, ['bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t&X-Amz-Credential=cdkbx9ZFqJDGf1rB853I']),
    # near misses
    ('ABSKgN95Dci7xD93lgWk7J6r', None, []),
    ('bedrock-api-key', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AWS_BEDROCK_KEY, text, key) == expected

from presidio_analyzer.predefined_recognizers.generic.crypto_recognizer import CryptoRecognizer

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

# presidio's Base58Check / Bech32(m) validation decides; the regex only finds candidates.
_PRESIDIO = CryptoRecognizer()

CRYPTO_WALLET = PatternDetector(
    id="crypto-wallet",
    entity="CRYPTO",
    pattern=LinearRegex(
        r"(?:^|[^A-Za-z0-9])(?P<m>(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,59})(?:[^A-Za-z0-9]|\z)",
        context_before=True,
    ),
    score=0.9,
    context_keys=("wallet", "btc", "bitcoin", "crypto"),
    validate=lambda value: bool(_PRESIDIO.validate_result(value)),
    group=1,
    min_digits=1,
)

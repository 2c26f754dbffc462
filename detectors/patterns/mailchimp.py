from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

MAILCHIMP_KEY = PatternDetector(
    id="mailchimp-key",
    entity="CREDENTIAL",
    # Mailchimp API keys (32 hex + `-us` + datacentre number) and Brevo keys (`xkeysib-`).
    pattern=LinearRegex(
        r"\b([a-f0-9]{32}-us\d{1,2}|xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})\b"
    ),
    score=0.95,
    keywords=("-us", "xkeysib-"),
    group=1,
)

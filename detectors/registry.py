"""The detectors Afterguard runs, registered explicitly in one place."""

from __future__ import annotations

from detectors.pattern import PatternDetector
from detectors.patterns.anthropic import ANTHROPIC_KEY
from detectors.patterns.aws import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
from detectors.patterns.connection_string import CONNECTION_STRING
from detectors.patterns.credit_card import CREDIT_CARD
from detectors.patterns.email import EMAIL
from detectors.patterns.github import GITHUB_TOKEN
from detectors.patterns.ip_address import IP_ADDRESS
from detectors.patterns.openai import OPENAI_KEY
from detectors.patterns.password_assignment import PASSWORD_ASSIGNMENT
from detectors.patterns.phone_number import PHONE_NUMBER
from detectors.patterns.private_key import PRIVATE_KEY
from detectors.patterns.secret_under_key import SECRET_UNDER_KEY
from detectors.patterns.slack import SLACK_TOKEN
from detectors.patterns.stripe import STRIPE_KEY
from detectors.patterns.us_ssn import US_SSN, US_SSN_UNDER_KEY

PII_DETECTORS: tuple[PatternDetector, ...] = (
    EMAIL,
    US_SSN,
    US_SSN_UNDER_KEY,
    CREDIT_CARD,
    PHONE_NUMBER,
    IP_ADDRESS,
)

CREDENTIAL_DETECTORS: tuple[PatternDetector, ...] = (
    PRIVATE_KEY,
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    GITHUB_TOKEN,
    SLACK_TOKEN,
    STRIPE_KEY,
    ANTHROPIC_KEY,
    OPENAI_KEY,
    CONNECTION_STRING,
    PASSWORD_ASSIGNMENT,
    SECRET_UNDER_KEY,
)

DEFAULT_DETECTORS: tuple[PatternDetector, ...] = CREDENTIAL_DETECTORS + PII_DETECTORS

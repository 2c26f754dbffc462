from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

TELEGRAM_BOT_TOKEN = PatternDetector(
    id="telegram-bot-token",
    entity="CREDENTIAL",
    # Bot tokens: the bot id (5-16 digits), `:A` and 34 more characters, also inside
    # `api.telegram.org/bot<token>/` URLs.
    pattern=LinearRegex(
        r"(?:\bbot|\b)(\d{5,16}:A[\w-]{34})(?:[^\w-]|$)"
    ),
    score=0.95,
    keywords=(":a",),
    group=1,
    validate=lambda value: shannon_entropy(value) >= 3.5,
    min_digits=5,
)

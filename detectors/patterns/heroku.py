from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

HEROKU_KEY = PatternDetector(
    id="heroku-key",
    entity="CREDENTIAL",
    # API keys (`HRKU-AA` + 58), and the older UUID keys written next to `heroku`.
    pattern=LinearRegex(
        r"""\b(HRKU-AA[0-9A-Za-z_-]{58})(?:[^\w-]|$)|(?i:heroku)[\w.-]{0,30}[\"']?\s{0,3}[:=]\s{0,3}"""
        r"""[\"']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b"""
    ),
    score=0.95,
    keywords=("hrku-aa", "heroku"),
    group=-1,
    validate=lambda value: shannon_entropy(value) >= 3.0,
)

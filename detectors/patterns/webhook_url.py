from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

WEBHOOK_URL = PatternDetector(
    id="webhook-url",
    entity="CREDENTIAL",
    # Webhook URLs that carry their own secret: Discord, Microsoft Teams / Power Automate, Zapier.
    pattern=LinearRegex(
        r"(https://(?:(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{5,30}/[\w-]{50,100}|"
        r"[\w-]{1,60}\.webhook\.office\.com/webhookb2/[\w@/-]{60,300}|hooks\.zapier\.com/hooks/cat"
        r"ch/\d{3,12}/[a-z0-9]{5,12}))"
    ),
    score=0.95,
    keywords=("discord", "webhook.office.com", "hooks.zapier.com"),
    group=1,
)

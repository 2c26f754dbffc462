from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

AWS_BEDROCK_KEY = PatternDetector(
    id="aws-bedrock-key",
    entity="CREDENTIAL",
    # Amazon Bedrock API keys: long-lived (`ABSK` and the base64 of `BedrockAPIKey-…`) and
    # short-lived (`bedrock-api-key-` and the base64 of `bedrock.amazonaws.com`, then a
    # presigned query).
    pattern=LinearRegex(
        r"\b(ABSK[A-Za-z0-9+/]{109,269}={0,2}"
        r"|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%&._-]{0,1000})"
    ),
    score=0.9,
    keywords=("absk", "bedrock-api-key-"),
    group=1,
)

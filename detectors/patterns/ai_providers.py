from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

AI_PROVIDER_KEY = PatternDetector(
    id="ai-provider-key",
    entity="CREDENTIAL",
    # Keys of AI API providers: Groq (`gsk_` + 52), Replicate (`r8_` + 37), Perplexity
    # (`pplx-` + 48), xAI (`xai-` + 80), Cohere/Mistral-style keys are left to the generic rules.
    pattern=LinearRegex(
        r"\b(gsk_[A-Za-z0-9]{52}|r8_[A-Za-z0-9]{37}|pplx-[A-Za-z0-9]{48}|xai-[A-Za-z0-9]{80})\b"
    ),
    score=0.95,
    keywords=("gsk_", "r8_", "pplx-", "xai-"),
    group=1,
)

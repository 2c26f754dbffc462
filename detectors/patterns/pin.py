from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

PIN = PatternDetector(
    id="pin",
    entity="CREDENTIAL",
    # A card PIN or security code: 3-8 digits standing alone under a key named for one
    # (`pin`, `card_pin`, `cvv`, `security_code`), as a string or as a JSON number. Whole key
    # names only: `shipping` and `mapping` hold `pin` too.
    pattern=LinearRegex(r"\A\s*(\d{3,8})\s*\z"),
    score=0.8,
    context_key_names=("pin", "pin_code", "pincode", "pin_number", "card_pin", "atm_pin",
                       "cvv", "cvv2", "cvc", "cvc2", "security_code", "card_security_code",
                       "passcode"),
    requires_context=True,
    context_boost=0.0,
    group=1,
    min_digits=3,
)

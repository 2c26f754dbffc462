"""The audit trail: evidence contract, hash chain, verification and warehouse delivery."""

"""Dead letters: sealed original bytes, and the `afterguard deadletter` commands."""

"""The worker: consumes agent action results, decides each under the policy, and produces the
decisions, review items, audit records and dead letters (the faust app, its pure pipeline, the
input codec, the review stage, the scan budget, the followers of shared state, keys and reload)."""

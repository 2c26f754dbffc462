"""The review queue: reviewers pull quarantined and sampled items and give verdicts.

Pure core (entry, claims, deciding, queue_timer, release, stats, audit_events) over plain
mappings, and a thin faust shell (service, web) that keeps the mappings in faust tables.
"""

"""Mandatory and stratified sampling for post-hoc human review (see issue 5)."""

"""The faust app and its shell: topics, codecs, thin agents, the CLI, the local broker."""

import detectors  # noqa: F401  first: its guard decides how compiled modules load

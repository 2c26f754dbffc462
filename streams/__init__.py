"""The faust app and its shell: topics, codecs, thin agents, the CLI, the local broker."""

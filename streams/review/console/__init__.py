"""The review console: a web page for reviewers, served by the review service on its own port
(AFTERGUARD_REVIEW_CONSOLE_PORT) together with the same JSON API the CLI uses."""

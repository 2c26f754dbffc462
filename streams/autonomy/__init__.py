"""The autonomy scorer service (`afterguard autonomy serve`), its CLI, and the worker's view
of the levels it publishes. The transitions themselves are pure: sampling/autonomy/."""

"""Pattern detectors, one per file. They are registered in `detectors.registry`."""

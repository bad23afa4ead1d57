"""Hydra config groups of the servicesim app (a package so tests can compose them)."""

"""Shared settings and input functions for all rules."""

STUDY = config["study"]


def final_outputs():
    """Everything `rule all` asks for, for the configured study."""
    return []

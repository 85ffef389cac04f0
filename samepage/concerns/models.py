"""concerns models."""

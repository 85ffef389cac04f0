"""profiles models."""

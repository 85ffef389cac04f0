"""glossary models."""

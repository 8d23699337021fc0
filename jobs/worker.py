"""arq worker settings."""

"""Dossiers: Piccolo tables, app and migrations of this domain."""

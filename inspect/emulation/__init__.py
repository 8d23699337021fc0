"""Ratings and emulation: Piccolo tables, app and migrations of this domain."""

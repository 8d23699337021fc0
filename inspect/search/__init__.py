"""Tìm kiếm: one box that finds officials by name (with or without diacritics), dossiers
by code and findings by number, within what the signed-in person may see."""

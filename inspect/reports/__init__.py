"""The quarterly report workbook: Piccolo tables, app and migrations of this domain."""

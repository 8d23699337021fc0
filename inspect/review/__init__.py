"""Review and due process: Piccolo tables, app and migrations of this domain."""

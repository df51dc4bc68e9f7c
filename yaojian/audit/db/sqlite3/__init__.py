"""SQLite with the audit pre-commit step."""

"""PostgreSQL with the audit pre-commit step."""

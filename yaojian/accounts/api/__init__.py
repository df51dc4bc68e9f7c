"""REST API of the accounts app: departments and the caller's own account."""

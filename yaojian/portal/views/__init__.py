"""Pages of the portal: the public site (no login) and the staff pages (login)."""

"""The public site: published penalty information and typical cases, no login."""

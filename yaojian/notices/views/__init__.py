"""Pages of the notices app (server-rendered, htmx-aware)."""

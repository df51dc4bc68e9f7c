"""Outbound webhooks to departments' own systems: signed, retried, logged, replayable."""

"""Models of the exchange app."""

"""Working-day clocks: the holiday calendar and deadline arithmetic."""

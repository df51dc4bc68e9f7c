"""Problems pushed between departments: routing rules, inboxes with clocks, escalation, answers."""

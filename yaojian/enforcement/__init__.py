"""Cases from clue to closure: legal clocks, joint tasks, assistance requests, decisions, penalties, criminal referrals."""

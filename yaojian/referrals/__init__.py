"""Criminal referrals to the police (行刑衔接): decide in 3 days, transfer in 24 hours, answers, reconsideration, evidence bundles."""

"""Partner action links: a partner answers a referral from a link in an email, no account."""

"""Outreach (issue 19): prospects, contact attempts, the worklist, invitation letters,
conversion into a case, retention and the report's outreach figures."""

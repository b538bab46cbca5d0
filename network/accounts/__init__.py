"""Coordinator accounts, sessions, API tokens, access rules and the audit trail."""

"""Reminders and escalation: working-day calendar, reminder policy, due rows and dispatch."""

"""Referrals: one barrier of one client sent to one partner, its lifecycle, handoffs and history."""

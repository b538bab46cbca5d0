"""network: partner-network coordination and referral tracking for an Integration Point."""

__version__ = "0.1.0"

"""Client cases: prospects of staying, potential analysis, consent, barriers, retention."""

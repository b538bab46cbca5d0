"""Every helper the tests share: test modules import them from here, never from one another
or from conftest.py (which keeps only the fixtures, and imports its helpers from here too)."""

"""The monthly report for the district committee: figures, small-cell protection, HTML/PDF/CSV."""

"""What every page says while the database cannot be reached (network.outage)."""

OUTAGE_TITLE = "Vorübergehend nicht erreichbar"
OUTAGE_TEXT = ("Der Dienst ist gerade nicht erreichbar. Es wurde nichts gespeichert. Bitte "
               "versuchen Sie es in einigen Minuten noch einmal.")

"""The words of the page where one changes one's own password (network/web/session_views)."""

INTRO = ("Nach der Änderung werden Ihre Sitzungen auf anderen Geräten beendet und Ihre"
         " API-Tokens widerrufen.")
KEEP_API_TOKENS = "API-Tokens behalten"
KEEP_API_TOKENS_HINT = ("Nur ankreuzen, wenn Sie sicher sind, dass niemand sonst Ihre Tokens"
                        " kennt: Skripte, die ein Token verwenden, laufen dann weiter.")

"""What the administration of one account and the password-reset page say (issue 15)."""

NOTICES = {
    "konto-deaktiviert": "Das Konto ist deaktiviert. Seine Sitzungen und API-Tokens sind beendet.",
    "konto-aktiviert": "Das Konto ist wieder aktiv. Die Person meldet sich mit ihrem Passwort an.",
    "konto-rolle": "Die Rolle ist geändert; sie gilt ab der nächsten Anfrage der Person.",
    "konto-link": "Der Link zum Setzen eines neuen Passworts ist per E-Mail unterwegs.",
    "passwort-neu": "Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an.",
}

DEACTIVATE_HINT = ("Deaktivieren beendet sofort alle Sitzungen und API-Tokens der Person;"
                   " anmelden kann sie sich erst wieder, wenn das Konto aktiviert wird.")
RESET_HINT = ("Die Person bekommt eine E-Mail mit einem Link, der 24 Stunden und einmal gilt."
              " Ihr bisheriges Passwort gilt, bis sie ein neues setzt.")
RESET_INTRO = "Setzen Sie hier ein neues Passwort für Ihr Konto."
RESET_UNUSABLE = ("Dieser Link gilt nicht mehr: Er wurde schon benutzt, ist abgelaufen oder"
                  " durch einen neueren ersetzt. Bitten Sie die Administration um einen neuen.")

"""Refusal codes of the account administration (issue 15): {code: (English, German)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "own_account": ("you cannot deactivate your own account",
                    "Ihr eigenes Konto können Sie nicht deaktivieren."),
    "user_inactive": ("the account is deactivated: activate it first",
                      "Das Konto ist deaktiviert; aktivieren Sie es zuerst."),
}

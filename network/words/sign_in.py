"""The words of the sign-in page (network/web/session_views) when it must refuse."""


def throttled(retry_after: int) -> str:
    """After too many attempts: how long to wait, in seconds or minutes as fits."""
    if retry_after < 120:
        wait = "1 Sekunde" if retry_after == 1 else f"{retry_after} Sekunden"
    else:
        wait = f"{-(-retry_after // 60)} Minuten"
    return (f"Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie {wait} und versuchen Sie"
            " es dann erneut.")

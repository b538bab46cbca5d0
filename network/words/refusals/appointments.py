"""Refusal codes of referrals' appointments (network.referrals.appointments)."""

REFUSALS: dict[str, tuple[str, str]] = {
    "referral.appointment_not_now": (
        "An appointment can be recorded once the referral is accepted, while it is open.",
        "Einen Termin gibt es erst, wenn der Partner angenommen hat, und solange die"
        " Vermittlung läuft."),
}

"""Refusal codes of the day a referral is on hold until (network.referrals.hold)."""

REFUSALS: dict[str, tuple[str, str]] = {
    "referral.hold_until_not_a_date": ("is not a date (YYYY-MM-DD)",
                                       "Bitte ein Datum angeben (TT.MM.JJJJ)."),
    "referral.hold_until_not_for": ("only a referral put on hold has a day it is on hold until",
                                    "Ein Datum „pausiert bis“ gibt es nur beim Pausieren."),
    "referral.hold_until_not_future": ("must be a day after today",
                                       "Bitte einen Tag nach heute angeben."),
    "referral.hold_until_too_far": ("must be within a year from today",
                                    "Bitte einen Tag innerhalb eines Jahres angeben."),
}

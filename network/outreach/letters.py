"""The letter of invitation to a prospect: which language it is printed in, its texts (one data
file per language in `letter_texts/`, the slip's languages, German the fallback for anything
missing), and the appointment it names: the one of the prospect's latest contact attempt with
the outcome 'invited' (date, time, place).

Printing is an audited read (`prospect.letter_printed`, ids and the language only): the
letter shows the prospect's name and address. A prospect outside the coordinator's legal
circle (`network.cases.scope`), or one erased, is not found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from network.accounts import audit
from network.actors import Actor
from network.cases import scope
from network.clock import BERLIN, Clock
from network.errors import NotFound
from network.outreach.tables import Prospect, ProspectContact
from network.transactions import transaction
from network.words.translations import FALLBACK, Translations

FOLDER = Path(__file__).with_name("letter_texts")
BRING = ("id_document", "residence_document", "this_letter")


@dataclass(frozen=True)
class LetterTexts:
    code: str  # the language's code, for `lang`
    direction: str  # ltr or rtl, for `dir`
    language_name: str  # in the language itself
    text: dict[str, str]
    items: dict[str, str]
    weekdays: tuple[str, ...]  # Monday first


@dataclass(frozen=True)
class Appointment:
    at: datetime  # Berlin wall clock
    place: str | None

    def weekday(self, texts: LetterTexts) -> str:
        return texts.weekdays[self.at.weekday()]


@dataclass(frozen=True)
class Letter:
    prospect_id: int
    first_name: str | None
    last_name: str | None
    shelter: str | None
    address: str | None
    appointment: Appointment | None
    texts: LetterTexts
    issued_on: date
    appointment_passed: bool = False  # the latest invitation's time lies before the printing

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def greeting(self) -> tuple[str, str, str]:
        """The salutation as (before, name, after), so the page can isolate the name's
        direction (a Latin name in an Arabic sentence)."""
        if not self.name:
            return self.texts.text["greeting_plain"], "", ""
        before, _, after = self.texts.text["greeting"].partition("{name}")
        return before, self.name, after

    @property
    def bring(self) -> list[str]:
        return [self.texts.items[item] for item in BRING]


LETTERS = Translations(FOLDER)


def languages() -> dict[str, str]:
    """The letter's languages: code -> its own name, German first."""
    return LETTERS.languages


def texts(code: str) -> LetterTexts:
    """The texts in `code`; a key the language lacks is taken from German."""
    code, direction, name, parts = LETTERS.merged(code, ("text", "items"))
    weekdays = LETTERS.data(code).get("weekdays", LETTERS.data(FALLBACK)["weekdays"])
    return LetterTexts(code, direction, name, parts["text"], parts["items"], tuple(weekdays))


def language_for(prospect_languages: Iterable[str], asked: str | None = None) -> str:
    """The language asked for, if there is a letter in it; else the prospect's first language
    (in the order recorded) that has one; else German."""
    offered = languages()
    if asked in offered:
        return asked  # type: ignore[return-value]
    return next((code for code in prospect_languages if code in offered), FALLBACK)


async def print_letter(actor: Actor, clock: Clock, prospect_id: int,
                       asked: str | None = None) -> Letter:
    """The prospect's letter, in the language asked for or the prospect's own; audited."""
    now = clock.now()
    async with transaction():
        row = await Prospect.select(
            Prospect.legal_circle, Prospect.first_name, Prospect.last_name, Prospect.shelter,
            Prospect.address, Prospect.languages, Prospect.erased_at,
        ).where(Prospect.id == prospect_id).first()
        if row is None or row["erased_at"] is not None:
            raise NotFound("prospect", prospect_id)
        scope.require(actor, row["legal_circle"], "prospect", prospect_id)
        appointment = await latest_invitation(prospect_id)
        code = language_for(row["languages"] or [], asked)
        await audit.record(actor, "prospect.letter_printed", "prospect", prospect_id,
                           {"language": code, "appointment": appointment is not None}, at=now)
    return Letter(prospect_id, row["first_name"], row["last_name"], row["shelter"],
                  row["address"], appointment, texts(code), now.astimezone(BERLIN).date(),
                  appointment is not None and appointment.at < now)


async def latest_invitation(prospect_id: int) -> Appointment | None:
    """The appointment of the latest attempt that invited the prospect (by day, then as
    recorded), if it named a time."""
    row = await ProspectContact.select(
        ProspectContact.appointment_at, ProspectContact.appointment_place,
    ).where(
        (ProspectContact.prospect_id == prospect_id) & (ProspectContact.outcome == "invited")
    ).order_by(ProspectContact.on_day, ProspectContact.recorded_at, ProspectContact.id,
               ascending=False).first()
    if row is None or row["appointment_at"] is None:
        return None
    return Appointment(row["appointment_at"].astimezone(BERLIN), row["appointment_place"])

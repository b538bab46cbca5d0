"""Messages written directly (`network.mail.mime.compose`) parse back, with the standard
library's parser, to what the email library's builder (`build_message`) makes of the same row:
every header, both bodies, every attachment, with German umlauts, Arabic, CJK and emoji, long
lines and long subjects. Their lines are valid SMTP: CRLF only, ASCII headers of at most 78
characters, no line longer than 998 octets."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from network.mail import mime
from network.mail.catcher import _caught
from network.mail.headers import BREAKING, header_text
from network.mail.message import (
    SMTP_LINE_LIMIT,
    Attachment,
    as_bytes,
    build_message,
    prerendered,
    sendable,
    storable,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SENDER = "Integration Point Heinsberg <ip@kreis-heinsberg.de>"
GERMAN = "Guten Tag Frau Müller,\n\nbitte öffnen Sie die Vermittlung für Jürgen Weiß.\n"
ARABIC = "مرحبا بكم في شبكة الاندماج، يرجى فتح الإحالة.\n"
PDF = bytes(range(256)) * 40 + b"%%EOF"
HEADERS = ("From", "To", "Date", "Message-ID", "Auto-Submitted", "MIME-Version")


def row(subject: str = "Neue Vermittlung für Sie", text: str = GERMAN,
        html: str | None = None, recipients: tuple[str, ...] = ("partner@example.org",),
        message_id: str = "<5f0c@kreis-heinsberg.de>") -> dict:
    return {"recipients": list(recipients), "subject": subject, "message_id": message_id,
            "body_text": text, "body_html": f"<p>{text}</p>\n" if html is None else html}


def parsed(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert all(not part.defects for part in message.walk()), [
        part.defects for part in message.walk()]
    return message


def shape(message: EmailMessage) -> list[tuple]:
    """Every part's type, transfer encoding, file name and decoded content, in order."""
    return [(part.get_content_type(), part.get("Content-Transfer-Encoding"),
             part.get_filename(),
             None if part.is_multipart() else part.get_content())
            for part in message.walk()]


def assert_same_message(composed: bytes, library: bytes, subject: str) -> None:
    """The same message, but for the subject: ours must read as it was written (the
    library's folding loses a space between two encoded words now and then)."""
    ours, theirs = parsed(composed), parsed(library)
    for name in HEADERS:
        assert ours[name] == theirs[name], name
    assert ours["Subject"] == header_text(subject)
    assert sorted(ours.keys()) == sorted(theirs.keys())
    assert shape(ours) == shape(theirs)


def assert_valid_lines(raw: bytes) -> None:
    assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    for line in raw.split(b"\r\n"):
        assert len(line) <= SMTP_LINE_LIMIT
    for part_head in [head, *(block.split(b"\r\n\r\n", 1)[0] for block in raw.split(b"\r\n--"))]:
        for line in part_head.split(b"\r\n"):
            assert len(line) <= mime.FOLD_AT, line


def both(message_row: dict, sender: str = SENDER, date: datetime = NOW,
         attachments: tuple[Attachment, ...] = ()) -> tuple[bytes, bytes]:
    composed = mime.compose(message_row, sender, date, attachments)
    assert composed is not None
    return composed, as_bytes(build_message(message_row, sender, date, attachments))


@pytest.mark.parametrize("subject", [
    "Neue Vermittlung für Sie",
    "Plain ASCII subject",
    "",
    "Vermittlung 7: Jürgen Weiß (Sprachkurs) – angenommen",
    "إحالة جديدة إليكم من نقطة الاندماج",
    "Neue Vermittlung: مرحبا بكم Frau Öztürk und Herr Çelik",
    "新しい紹介 🎉🎉🎉 für Sie 😀",
    "Eine sehr lange Betreffzeile, die ganz gewiss über achtundsiebzig Zeichen hinausgeht"
    " und gefaltet werden muss, weil sie so lang ist, mit Ümläuten hier und dort",
    "Ein-Wort-das-viel-zu-lang-ist-um-in-eine-Zeile-zu-passen-" * 3,
    "ä" * 200,
    "Zeichen: \"quoted\" (comment) <angle> a,b; c@d \\ back",
])
def test_subjects_parse_back_as_the_library_writes_them(subject: str) -> None:
    composed, library = both(row(subject=subject))
    assert_same_message(composed, library, subject)
    assert parsed(library)["Subject"] == subject
    assert_valid_lines(composed)


def test_an_encoded_word_look_alike_in_a_subject_is_read_as_written() -> None:
    """The library writes it as it is, so a mail program decodes it ("kodiert"); we encode
    it, so it reads as the subject was."""
    subject = "Sieht aus wie =?utf-8?q?kodiert?= ist es aber nicht"
    composed, library = both(row(subject=subject))
    assert parsed(composed)["Subject"] == subject
    assert parsed(library)["Subject"] == "Sieht aus wie kodiert ist es aber nicht"
    assert_valid_lines(composed)


@pytest.mark.parametrize("text", [
    GERMAN,
    ARABIC,
    "plain ascii only\n",
    "",
    "no line end at the end",
    "Windows\r\nline ends\r\nund ein einzelnes \r in der Mitte\n\n\n",
    "x" * SMTP_LINE_LIMIT + "\n" + "ü" * (SMTP_LINE_LIMIT // 2) + "\n",
    "Tabs\tand form\x0cfeeds\x0b and U+2028\u2028 stay\n",
    "From the start of a line\n.\n..\n--=_not a boundary\n",
])
def test_bodies_within_the_line_limit_are_verbatim_as_the_library_writes_them(text: str) -> None:
    composed, library = both(row(text=text, html=f"<div dir=\"rtl\">\n{text}\n</div>\n"))
    assert_same_message(composed, library, row()["subject"])
    assert_valid_lines(composed)
    assert prerendered(build_message(row(text=text, html=text), SENDER, NOW)) is not None


def test_a_line_past_the_limit_is_left_to_the_library() -> None:
    long = row(text="ü" * (SMTP_LINE_LIMIT // 2 + 1) + "\n")
    assert mime.compose(long, SENDER, NOW) is None
    assert storable(long, SENDER, NOW) is None  # quoted-printable: not stored
    sent = parsed(sendable(long, SENDER, NOW))
    assert sent.get_body(("plain",))["Content-Transfer-Encoding"] in ("quoted-printable",
                                                                        "base64")
    assert sent.get_body(("plain",)).get_content() == long["body_text"]


@pytest.mark.parametrize("sender", [
    SENDER,
    "ip@kreis-heinsberg.de",
    "Integrationspunkt Düren – Team <ip@kreis-dueren.de>",
    '"Müller, Jürgen" <jm@kreis-heinsberg.de>',
    "نقطة الاندماج <ip@example.org>",
])
def test_senders_parse_back_as_the_library_writes_them(sender: str) -> None:
    composed, library = both(row(), sender=sender)
    assert_same_message(composed, library, row()["subject"])
    assert_valid_lines(composed)


@pytest.mark.parametrize("recipients", [
    ("partner@example.org",),
    tuple(f"team.{i}@partner-{i}.example.org" for i in range(8)),
    ("a+tag@example.org", "o'brien@example.ie"),
    ('"quoted local"@example.org', "plain@example.org"),
])
def test_recipients_parse_back_as_the_library_writes_them(recipients: tuple[str, ...]) -> None:
    composed, library = both(row(recipients=recipients))
    assert_same_message(composed, library, row()["subject"])
    assert_valid_lines(composed)


@pytest.mark.parametrize("date", [NOW, NOW.astimezone(timezone(timedelta(hours=1))),
                                  datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=UTC)])
def test_the_date_is_written_as_the_library_writes_it(date: datetime) -> None:
    composed, library = both(row(), date=date)
    assert parsed(composed)["Date"] == parsed(library)["Date"]
    assert parsed(composed)["Date"].datetime == date.replace(microsecond=0)


@pytest.mark.parametrize("attachments", [
    (Attachment("monatsbericht_2026-10.pdf", "application/pdf", PDF),),
    (Attachment("leer.txt", "text/plain", b""),
     Attachment("bericht (Kopie).pdf", "application/pdf", PDF[:57])),
])
def test_attachments_parse_back_as_the_library_writes_them(
        attachments: tuple[Attachment, ...]) -> None:
    composed, library = both(row(text=ARABIC), attachments=attachments)
    assert_same_message(composed, library, row()["subject"])
    assert_valid_lines(composed)
    files = [part for part in parsed(composed).iter_attachments()]
    assert [part.get_payload(decode=True) for part in files] == [
        item.content for item in attachments]


@pytest.mark.parametrize("filename", ["Bericht März.pdf", 'say "cheese".pdf',
                                      "back\\slash.pdf", "n" * 60 + ".pdf"])
def test_attachment_names_needing_encoding_are_left_to_the_library(filename: str) -> None:
    attachments = (Attachment(filename, "application/pdf", PDF),)
    assert mime.compose(row(), SENDER, NOW, attachments) is None
    sent = parsed(storable(row(), SENDER, NOW, attachments))  # still stored: 8bit bodies
    [file] = sent.iter_attachments()
    assert file.get_filename() == filename and file.get_content() == PDF


def test_an_encoded_word_look_alike_as_a_file_name_is_left_to_the_library() -> None:
    look_alike = Attachment("=?utf-8?q?x?=.pdf", "application/pdf", PDF)
    assert mime.attachment_part(look_alike) is None


def test_a_header_value_cannot_add_a_header() -> None:
    evil = row(subject="Vermittlung\r\nBcc: x@evil.example", message_id="<1@x>\nX-Evil: 1")
    message = parsed(mime.compose(evil, "IP\r\nBcc: y@evil.example <ip@x.de>", NOW))
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["Subject"] == "Vermittlung Bcc: x@evil.example"


def test_random_subjects_and_bodies_parse_back_the_same() -> None:
    """Words drawn from ASCII, umlauts, Arabic, CJK and emoji, of every length, so that
    encoded words and folds fall at every position."""
    chance = random.Random(18)
    alphabet = ("abcXYZ019.,:;!?()\"'<>@_-/", "äöüßÄÖÜ", "مرحبابكم", "紹介新", "🎉😀")

    def word() -> str:
        letters = chance.choice(alphabet) if chance.random() < 0.7 else "".join(alphabet)
        return "".join(chance.choice(letters) for _ in range(chance.randint(1, 30)))

    for _ in range(150):
        subject = " ".join(word() for _ in range(chance.randint(1, 12)))
        text = "\n".join(" ".join(word() for _ in range(chance.randint(0, 20)))
                         for _ in range(chance.randint(0, 5)))
        composed, library = both(row(subject=subject, text=text))
        assert_same_message(composed, library, subject)
        assert_valid_lines(composed)


def test_boundaries_are_new_for_each_message_and_in_no_part(
        monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = (mime.compose(row(), SENDER, NOW) for _ in range(2))
    assert first.split(b"boundary=", 1)[1][:30] != second.split(b"boundary=", 1)[1][:30]
    draws = iter(["0" * 24, "1" * 24])
    monkeypatch.setattr(mime.secrets, "token_hex", lambda _: next(draws))
    assert mime.new_boundary([b"text\r\n--=_" + b"0" * 24 + b"\r\n"]) == b"=_" + b"1" * 24


def test_the_mail_catcher_reads_subjects_and_names_as_written() -> None:
    subject = "Neue Vermittlung an die Sprachschule in Erkelenz (Deutschkurs B1) für Jürgen Weiß"
    raw = mime.compose(row(subject=subject), "Integrationspunkt Düren <ip@x.de>", NOW)
    assert b"(Deutschkurs B1)\r\n =?utf-8?b?" in raw  # a fold right before an encoded word
    caught = _caught("key", message_from_bytes(raw))  # as the Maildir reads it (compat32)
    assert caught.subject == subject
    assert caught.sender == "Integrationspunkt Düren <ip@x.de>"
    assert caught.recipients == "partner@example.org"
    assert caught.text == GERMAN.replace("\n", "\r\n")


def test_one_line_keeps_only_characters_that_header_text_keeps() -> None:
    solid = re.compile(mime.SOLID_RUN)
    for code in range(0x110000):
        char = chr(code)
        kept = not char.isspace() and unicodedata.category(char) not in BREAKING
        assert bool(solid.fullmatch(char)) == kept, hex(code)


def test_one_line_is_header_text_for_names_and_subjects() -> None:
    rng = random.Random(18)
    alphabet = "aÖß éz .\t\n\r\x00\x85\u2028\u2029\xa0\u3000<>@\"'=?"
    values = ["", " ", "Neue Vermittlung für Sie", "Frau  Özdemir", " lead", "trail ",
              *("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
                for _ in range(20_000))]
    for value in values:
        assert mime.one_line(value) == header_text(value), repr(value)

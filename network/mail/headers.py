"""The text of an email header: one line without control characters.

Subjects and display names are built from data (a client's or partner's name, the Integration
Point's name). A CR or LF in them would end the header and start another (`Bcc: ...`); other
control characters (NUL, ESC, C1 such as U+0085, U+2028/U+2029) garble or split it in mail
programs. `network.mail.mime.message_headers` and `network.mail.message.build_message`, where
every header of a sent email is set, pass each value through `header_text`.
"""

from __future__ import annotations

import unicodedata

# Cc: C0, DEL and C1 controls (CR, LF, NUL, ESC, U+0085...); Zl, Zp: U+2028, U+2029.
BREAKING = frozenset({"Cc", "Zl", "Zp"})


def header_text(value: str) -> str:
    """`value` on one line: every control character becomes a space, runs of white space
    one space, none at either end."""
    spaced = "".join(" " if unicodedata.category(char) in BREAKING else char for char in value)
    return " ".join(spaced.split())

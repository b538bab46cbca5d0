"""Texts printed in the client's language (the referral slip, the letter of invitation, the
consent form): one data file per language in a folder (`<code>.json`, with `language_name`
in the language itself and `dir` for right-to-left scripts), German the fallback for any
language or text missing. Read once, no other I/O."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

FALLBACK = "de"


class Translations:
    def __init__(self, folder: Path, german_extras: dict[str, dict[str, str]] | None = None):
        self.folder = folder
        # parts whose German words come from the catalogue (one word per thing everywhere)
        self.german_extras = german_extras or {}
        self._files: dict[str, dict[str, Any]] = {}

    @cached_property
    def languages(self) -> dict[str, str]:
        """code -> the language's own name, German first."""
        codes = sorted(path.stem for path in self.folder.glob("*.json"))
        codes.sort(key=lambda code: code != FALLBACK)
        return {code: self.data(code)["language_name"] for code in codes}

    def data(self, code: str) -> dict[str, Any]:
        """A language's file as stored (German with the catalogue's words)."""
        if code not in self._files:
            raw = json.loads((self.folder / f"{code}.json").read_text(encoding="utf-8"))
            if code == FALLBACK:
                raw.update({part: dict(words) for part, words in self.german_extras.items()})
            self._files[code] = raw
        return self._files[code]

    def known(self, code: str | None) -> str:
        """`code` when there is a file for it, else German."""
        return code if code in self.languages else FALLBACK  # type: ignore[return-value]

    def merged(self, code: str, parts: Sequence[str]) -> tuple[str, str, str, dict[str, Any]]:
        """(code, direction, own name, {part: German's words overlaid with the language's})
        for a language with a file, else German's."""
        code = self.known(code)
        own, german = self.data(code), self.data(FALLBACK)
        return (code, own.get("dir", "ltr"), own["language_name"],
                {part: {**german.get(part, {}), **own.get(part, {})} for part in parts})

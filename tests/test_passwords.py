"""Password rules and hashing: Argon2id with OWASP parameters, a minimum length, no common
passwords."""

from __future__ import annotations

from network.accounts.passwords import (
    hash_password,
    password_problem,
    verify_password,
)


def test_it_refuses_passwords_shorter_than_twelve_characters() -> None:
    assert "at least 12" in password_problem("Kurz&knapp1")
    assert password_problem("Kurz&knapp12") is None


def test_it_refuses_common_passwords_and_their_numbered_variants() -> None:
    for password in ("123456789012", "Passwort1234", "qwertzuiop12", "Jobcenter2026!"):
        assert "common" in password_problem(password), password


def test_it_refuses_a_password_made_of_the_email_or_few_characters() -> None:
    assert "email" in password_problem("anna.schmidt-2026", "Anna.Schmidt@jobcenter.example")
    assert "different characters" in password_problem("abababababab")


def test_it_hashes_with_argon2id_at_owasp_strength_and_a_fresh_salt() -> None:
    first, second = hash_password("a long passphrase"), hash_password("a long passphrase")
    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert first != second
    assert verify_password(first, "a long passphrase")
    assert not verify_password(first, "a long passphrasE")
    assert not verify_password("not a hash", "a long passphrase")

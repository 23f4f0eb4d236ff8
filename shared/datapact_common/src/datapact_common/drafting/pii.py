"""Personal data guessed from a column's name, for a person to confirm.

A name is split into words (``customer_email``, ``billingAddress``, ``DOB``) and matched word
by word, never by substring, so ``emailed_at`` or ``address_count`` stay unmarked only when
their words say so (``emailed`` is not ``email``). A bare ``name`` counts only in a table
about people (``customer``, ``user``, ``staff`` ...): a film's name is not personal data.
"""

from __future__ import annotations

import re

# One word, or a run of consecutive words, that makes a column personal data.
_WORDS: dict[tuple[str, ...], str] = {
    ("email",): "an e-mail address",
    ("e", "mail"): "an e-mail address",
    ("mail",): "an e-mail address",
    ("phone",): "a phone number",
    ("telephone",): "a phone number",
    ("mobile",): "a phone number",
    ("msisdn",): "a phone number",
    ("fax",): "a phone number",
    ("address",): "a postal address",
    ("street",): "a postal address",
    ("addr",): "a postal address",
    ("postcode",): "a postal address",
    ("zip", "code"): "a postal address",
    ("zipcode",): "a postal address",
    ("postal", "code"): "a postal address",
    ("birth",): "a date of birth",
    ("birthday",): "a date of birth",
    ("birthdate",): "a date of birth",
    ("dob",): "a date of birth",
    ("ssn",): "a national identity number",
    ("social", "security"): "a national identity number",
    ("national", "id"): "a national identity number",
    ("passport",): "an identity document number",
    ("tax", "id"): "a tax number",
    ("iban",): "a bank account",
    ("bank", "account"): "a bank account",
    ("account", "number"): "a bank account",
    ("card", "number"): "a payment card number",
    ("credit", "card"): "a payment card number",
    ("first", "name"): "a person's name",
    ("firstname",): "a person's name",
    ("last", "name"): "a person's name",
    ("lastname",): "a person's name",
    ("surname",): "a person's name",
    ("full", "name"): "a person's name",
    ("fullname",): "a person's name",
    ("given", "name"): "a person's name",
    ("family", "name"): "a person's name",
    ("middle", "name"): "a person's name",
    ("ip",): "an IP address",
    ("ip", "address"): "an IP address",
    ("gender",): "a person's gender",
}
_PEOPLE_TABLES = frozenset(
    {
        "customer", "customers", "user", "users", "person", "persons", "people", "staff",
        "employee", "employees", "member", "members", "contact", "contacts", "patient",
        "patients", "client", "clients", "account", "accounts", "profile", "profiles",
        "student", "students", "actor", "actors", "author", "authors",
    }
)  # fmt: skip
_LONGEST = max(len(words) for words in _WORDS)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def words(name: str) -> list[str]:
    """``billingAddress_2`` → ``['billing', 'address', '2']``."""
    return [w for w in re.split(r"[^a-z0-9]+", _CAMEL.sub("_", name).lower()) if w]


def guess_pii(column: str, table: str) -> str | None:
    """Why ``column`` looks like personal data (``"an e-mail address"``), or None."""
    parts = words(column)
    for size in range(_LONGEST, 0, -1):
        for start in range(len(parts) - size + 1):
            reason = _WORDS.get(tuple(parts[start : start + size]))
            if reason is not None:
                return reason
    table_words = words(table.rsplit(".", 1)[-1])
    if parts == ["name"] and table_words and table_words[-1] in _PEOPLE_TABLES:
        return "a person's name"
    return None

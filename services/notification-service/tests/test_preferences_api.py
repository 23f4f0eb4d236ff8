"""Preferences per e-mail address: muted types, minimum severity, digest."""

from __future__ import annotations

import httpx
import pytest

URL = "/api/v1/preferences"


async def test_defaults_until_saved_then_what_was_put(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    default = (await api.get(f"{URL}/Ana@Example.com", headers=admin_headers)).json()
    assert default == {
        "email": "ana@example.com",
        "muted_types": [],
        "min_severity": "info",
        "digest": True,
        "updated_at": None,
        "updated_by": None,
        "stored": False,
    }
    body = {"muted_types": ["contract_updated", "schema_drift"], "min_severity": "warning"}
    saved = await api.put(f"{URL}/ana@example.com", json=body, headers=admin_headers)
    assert saved.status_code == 200, saved.text
    got = (await api.get(f"{URL}/ANA@example.com", headers=admin_headers)).json()
    assert got["muted_types"] == ["schema_drift", "contract_updated"]
    assert got["min_severity"] == "warning" and got["digest"] is True
    assert got["stored"] is True and got["updated_by"] == "admin"

    # PUT replaces the whole preference.
    again = await api.put(f"{URL}/ana@example.com", json={"digest": False}, headers=admin_headers)
    assert again.json()["muted_types"] == [] and again.json()["digest"] is False


@pytest.mark.parametrize(
    ("email", "body", "says"),
    [
        ("not-an-address", {}, "not a valid e-mail address"),
        ("a@example.com", {"muted_types": ["nope"]}, "muted_types.0"),
        ("a@example.com", {"min_severity": "fatal"}, "min_severity"),
        ("a@example.com", {"digest": "maybe"}, "digest"),
        ("a@example.com", {"surprise": True}, "surprise"),
    ],
)
async def test_invalid_input_is_422(
    api: httpx.AsyncClient,
    admin_headers: dict[str, str],
    email: str,
    body: dict[str, object],
    says: str,
) -> None:
    response = await api.put(f"{URL}/{email}", json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert says in response.json()["detail"]


async def test_put_needs_a_credential(api: httpx.AsyncClient) -> None:
    assert (await api.put(f"{URL}/a@example.com", json={})).status_code == 401
    assert (await api.get(f"{URL}/not-an-address")).status_code == 422

"""Preferences are keyed by the lower-cased e-mail address and belong to it: only whoever
speaks for the address (its token's email claim, a preferences link) or an admin reads or
changes them. Otherwise anyone with a write token could mute anyone's alerts."""

from __future__ import annotations

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.exceptions import InvalidRequestError
from notification_service.access import Caller
from notification_service.links import Purpose
from notification_service.preferences import repository
from notification_service.preferences.schemas import PreferenceIn, PreferenceOut

_EMAIL = TypeAdapter(EmailStr)


def valid_email(email: str) -> str:
    try:
        return _EMAIL.validate_python(email.strip()).lower()
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"] if exc.errors() else "invalid"
        raise InvalidRequestError(
            f"{email!r} is not a valid e-mail address: {reason}",
            errors=[{"loc": "path.email", "message": reason, "type": "value_error"}],
        ) from None


WHAT = "the notification preferences"


async def get(session: AsyncSession, email: str, caller: Caller) -> PreferenceOut:
    address = valid_email(email)
    caller.require_manage(address, Purpose.PREFERENCES, WHAT)
    stored = await repository.get(session, address)
    if stored is None:
        defaults = PreferenceIn()
        return PreferenceOut(
            email=address,
            muted_types=[],
            min_severity=defaults.min_severity.value,
            digest=defaults.digest,
            stored=False,
        )
    return PreferenceOut.model_validate(stored)


async def put(
    session: AsyncSession, email: str, request: PreferenceIn, caller: Caller
) -> PreferenceOut:
    address = valid_email(email)
    caller.require_manage(address, Purpose.PREFERENCES, WHAT)
    saved = await repository.upsert(
        session,
        email=address,
        muted_types=[t.value for t in request.muted_types],
        min_severity=request.min_severity.value,
        digest=request.digest,
        updated_by=caller.name,
    )
    return PreferenceOut.model_validate(saved)

"""Who speaks for an e-mail address, and which addresses a caller may see.

An address is spoken for by a token whose ``email`` claim is that address, or by a signed
link (``links.py``) for it and for the purpose at hand. Admins act for every address; they
do not speak for one (a watcher they add for someone else waits for that person's consent).
Addresses are shown in full to admin tokens and to whoever speaks for them (no service
reads them);
everyone else sees them masked (docs/notifications.md, "Who may do what").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from datapact_common.exceptions import AuthenticationError, PermissionDeniedError
from datapact_common.tokens import Principal
from notification_service import links
from notification_service.config import get_settings
from notification_service.dependencies import auth

MAX_LINK_LENGTH = 2048


@dataclass(frozen=True)
class Caller:
    principal: Principal | None
    link: links.Link | None

    @property
    def is_admin(self) -> bool:
        return self.principal is not None and self.principal.is_admin

    @property
    def sees_every_address(self) -> bool:
        return self.principal is not None and self.principal.is_admin

    @property
    def name(self) -> str:
        """Who did it, for ``updated_by``/``created_by``."""
        if self.principal is not None:
            return self.principal.sub[:255]
        assert self.link is not None
        return f"link:{self.link.address}"[:255]

    def speaks_for(self, address: str, purpose: links.Purpose) -> bool:
        if self.principal is not None and self.principal.email == address:
            return True
        return (
            self.link is not None and self.link.purpose == purpose and self.link.address == address
        )

    def may_see(self, address: str) -> bool:
        if self.sees_every_address:
            return True
        if self.principal is not None and self.principal.email == address:
            return True
        return self.link is not None and self.link.address == address

    def shown(self, address: str) -> str:
        """The address if the caller may see it, else masked (Slack targets are not personal)."""
        if "@" not in address or self.may_see(address):
            return address
        return "…@" + address.rpartition("@")[2]

    def require_may_see(self, address: str) -> None:
        """Filtering by an address tells who it is: only for those who may see it."""
        if self.may_see(address):
            return
        message = (
            f"filtering by {address} is for that address's owner (a token whose email claim "
            "it is, or the link of a DataPact e-mail to it) and admins; without the filter, "
            "addresses are shown masked"
        )
        if self.principal is None and self.link is None:
            raise AuthenticationError(message)
        raise PermissionDeniedError(message)

    def require_manage(self, address: str, purpose: links.Purpose, what: str) -> None:
        """Admin or someone speaking for ``address``; 401 without any credential, else 403."""
        if self.is_admin or self.speaks_for(address, purpose):
            return
        if self.principal is None and self.link is None:
            raise AuthenticationError(
                f"{what} of {address} are for that address's owner: send a token whose email "
                f"claim is {address}, an admin token, or the link of a DataPact e-mail "
                f"({links.HEADER} header)"
            )
        raise PermissionDeniedError(
            f"{what} of {address} are for that address's owner: this token's email claim is "
            f"{self._own()}, and no link for {address} was sent"
        )

    def _own(self) -> str:
        email = self.principal.email if self.principal is not None else None
        return repr(email) if email else "not set"


def _link(request: Request) -> links.Link | None:
    token = request.headers.get(links.HEADER)
    if token is None:
        return None
    token = token.strip()
    if not token or len(token) > MAX_LINK_LENGTH:
        raise AuthenticationError(f"invalid link: the {links.HEADER} header is empty or too long")
    return links.verify(get_settings().datapact_secret_key, token)


async def caller(request: Request) -> Caller:
    """Token (optional) and link (optional). A link is a credential of its own, so it also
    opens reads when DATAPACT_READS_REQUIRE_AUTH is set."""
    link = _link(request)
    principal = auth.optional(request) if link is not None else auth.read(request)
    return Caller(principal=principal, link=link)


CallerDep = Annotated[Caller, Depends(caller)]

"""The signed link each e-mail carries, added as it is sent (never stored; see links.py).

Every e-mail gets a preferences link for its recipient; a watch confirmation gets a watchers
link instead. The link goes at the end of the plain text and before the HTML's closing
``</body>``: the stored HTML comes from our templates, which escape every outside string, so
the last ``</body>`` is always the template's own.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from notification_service import links
from notification_service.config import Settings
from notification_service.notifications.models import WATCH_CONFIRMATION_TYPE

_WORDS = {
    links.Purpose.PREFERENCES: "Mute or change what {address} hears about, without signing in",
    links.Purpose.WATCHERS: "Confirm or remove what was asked for {address}",
}


def purpose_for(kind: str) -> links.Purpose:
    if kind == WATCH_CONFIRMATION_TYPE:
        return links.Purpose.WATCHERS
    return links.Purpose.PREFERENCES


def signed_url(settings: Settings, purpose: links.Purpose, address: str) -> tuple[str, float]:
    days = (
        settings.watchers_link_days
        if purpose is links.Purpose.WATCHERS
        else settings.preferences_link_days
    )
    token = links.sign(settings.datapact_secret_key, purpose, address, timedelta(days=days))
    return links.dashboard_url(settings.dashboard_url, purpose, address, token), days


def with_link(
    settings: Settings, kind: str, address: str, text: str, html: str | None
) -> tuple[str, str | None]:
    """``text`` and ``html`` with the recipient's signed link added."""
    purpose = purpose_for(kind)
    url, days = signed_url(settings, purpose, address)
    words = _WORDS[purpose].format(address=address)
    lifetime = f"this link works for {days:g} days and only for {address}"
    text = f"{text.rstrip()}\n\n{words} ({lifetime}):\n{url}\n"
    if html is None:
        return text, None
    paragraph = (
        f'<p style="font-size:12px;color:#616e7c;margin:12px 24px;">{escape(words)} '
        f'({escape(lifetime)}): <a href="{escape(url)}">{escape(url)}</a></p>\n'
    )
    head, found, tail = html.rpartition("</body>")
    html = f"{head}{paragraph}</body>{tail}" if found else html + paragraph
    return text, html

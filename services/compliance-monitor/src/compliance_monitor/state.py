"""What the monitor keeps in Redis (it has no database, docs/design.md §2).

- ``monitor:alert:{contract_id}:{check_type}``: the alert state (``open``/``closed``) and
  since when, so an alert fires on a state change only (docs/design.md §5).
- ``monitor:probes:{endpoint}``: a sorted set of ``/health`` probes (score = time).
- ``monitor:sweep:{kind}``: the summary of the last sweep of each kind.
- ``monitor:lock:{kind}``: held while a sweep runs, so sweeps of one kind never overlap.
- ``monitor:outbox``: events not yet accepted by the notification-service.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from redis.asyncio import Redis

from compliance_monitor.checks.availability_checker import Probe, Uptime

PREFIX = "monitor"
ALERT_TTL_SECONDS = 90 * 86400
OUTBOX_KEY = f"{PREFIX}:outbox"

# Compare-and-set of an alert state. KEYS[1] alert key. ARGV: observed state (open|closed),
# fallback state when Redis has none (open|closed|""), now (ISO), ttl (s), the fields a
# failure concerns (JSON). Returns {changed (0|1), previous since, previous fields, fields
# newly failing while the alert was already open (JSON)}.
# A first observation that is healthy changes nothing worth telling; a first observation
# that fails opens an alert. The fields of the opening failure are kept so the recovery
# reaches the same people; a field that starts failing while the alert is open is added
# to them and reported, so the people who use it are told too (once).
_TRANSITION = """
local known = redis.call('HGET', KEYS[1], 'state')
local since = redis.call('HGET', KEYS[1], 'since') or ''
local fields = redis.call('HGET', KEYS[1], 'fields') or '[]'
local current = known or ARGV[2]
if current == ARGV[1] then
  local added = {}
  if not known then
    redis.call('HSET', KEYS[1], 'state', current, 'since', ARGV[3], 'fields', ARGV[5])
  elseif current == 'open' then
    local stored = cjson.decode(fields)
    local seen = {}
    for _, name in ipairs(stored) do seen[name] = true end
    for _, name in ipairs(cjson.decode(ARGV[5])) do
      if not seen[name] then
        seen[name] = true
        table.insert(stored, name)
        table.insert(added, name)
      end
    end
    if #added > 0 then redis.call('HSET', KEYS[1], 'fields', cjson.encode(stored)) end
  end
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  if #added == 0 then return {0, since, fields, '[]'} end
  return {0, since, fields, cjson.encode(added)}
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'since', ARGV[3], 'fields', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if current == '' and ARGV[1] == 'closed' then return {0, since, fields, '[]'} end
return {1, since, fields, '[]'}
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class Transition:
    changed: bool
    previous_since: str | None
    previous_fields: list[str]
    # Fields failing now that the open alert did not name yet (empty unless still open).
    added_fields: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Observation:
    """One observed alert state of a (contract, check) pair, for :meth:`transitions`."""

    contract_id: str
    check_type: str
    state: str
    fallback: str
    now_iso: str
    fields: list[str]


def _names(raw: object) -> list[str]:
    """A JSON list of field names from the script (Lua's cjson encodes an empty one as {})."""
    try:
        parsed = json.loads(_text(raw) or "[]")
    except ValueError:
        return []
    return [str(f) for f in parsed] if isinstance(parsed, list) else []


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


class MonitorState:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._transition = redis.register_script(_TRANSITION)
        self._release = redis.register_script(_RELEASE)

    # --- alert states -------------------------------------------------------------------------

    async def transition(
        self,
        contract_id: str,
        check_type: str,
        state: str,
        *,
        fallback: str,
        now_iso: str,
        fields: list[str],
    ) -> Transition:
        """Set the alert state; ``changed`` says whether this observation changed it."""
        observation = Observation(contract_id, check_type, state, fallback, now_iso, fields)
        [transition] = await self.transitions([observation])
        return transition

    async def transitions(self, observations: Sequence[Observation]) -> list[Transition]:
        """:meth:`transition` for many pairs in one round trip (a pipeline of the script,
        not a transaction: each pair's compare-and-set is atomic on its own, as before)."""
        if not observations:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for o in observations:
                await self._transition(
                    keys=[f"{PREFIX}:alert:{o.contract_id}:{o.check_type}"],
                    args=[o.state, o.fallback, o.now_iso, ALERT_TTL_SECONDS, json.dumps(o.fields)],
                    client=pipe,
                )
            replies = await pipe.execute()
        return [
            Transition(
                bool(int(changed)), _text(since) or None, _names(previous_fields), _names(added)
            )
            for changed, since, previous_fields, added in replies
        ]

    async def alert_state(self, contract_id: str, check_type: str) -> str | None:
        value = await self.redis.hget(f"{PREFIX}:alert:{contract_id}:{check_type}", "state")
        return value.decode() if isinstance(value, bytes) else value

    # --- availability probes -------------------------------------------------------------------

    async def record_probe(
        self, probe: Probe, window: float, now: float | None = None, interval: float = 0.0
    ) -> Uptime:
        """Store a probe and return the uptime over the window, this probe included
        (``interval``: seconds between probes, so a full window holds window / interval)."""
        now = time.time() if now is None else now
        key = f"{PREFIX}:probes:{probe.endpoint}"
        member = f"{now:.6f}:{1 if probe.ok else 0}:{secrets.token_hex(4)}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {member: now})
            pipe.zremrangebyscore(key, "-inf", now - window)
            pipe.zrangebyscore(key, now - window, "+inf")
            pipe.expire(key, int(window) + 3600)
            results = await pipe.execute()
        members = cast(list[bytes], results[2])
        ok = sum(1 for m in members if m.split(b":")[1] == b"1")
        oldest = min((float(m.split(b":")[0]) for m in members), default=now)
        return Uptime(
            ok=ok,
            total=len(members),
            window_seconds=window,
            expected=window / interval if interval > 0 else 0.0,
            span_seconds=now - oldest,
        )

    # --- sweeps --------------------------------------------------------------------------------

    async def save_sweep(self, kind: str, summary: dict[str, Any]) -> None:
        await self.redis.set(f"{PREFIX}:sweep:{kind}", json.dumps(summary))

    async def last_sweep(self, kind: str) -> dict[str, Any] | None:
        raw = await self.redis.get(f"{PREFIX}:sweep:{kind}")
        if raw is None:
            return None
        value = json.loads(raw)
        return value if isinstance(value, dict) else None

    async def acquire_lock(self, kind: str, ttl: float) -> str | None:
        token = uuid.uuid4().hex
        acquired = await self.redis.set(f"{PREFIX}:lock:{kind}", token, nx=True, px=int(ttl * 1000))
        return token if acquired else None

    async def release_lock(self, kind: str, token: str) -> None:
        await self._release(keys=[f"{PREFIX}:lock:{kind}"], args=[token])

    # --- event outbox --------------------------------------------------------------------------

    async def enqueue_event(self, envelope: dict[str, Any]) -> None:
        await self.redis.hset(OUTBOX_KEY, str(envelope["id"]), json.dumps(envelope))

    async def pending_events(self) -> list[dict[str, Any]]:
        raw = await self.redis.hgetall(OUTBOX_KEY)
        events = [json.loads(v) for v in raw.values()]
        return sorted(events, key=lambda e: str(e.get("occurred_at", "")))

    async def drop_event(self, event_id: str) -> None:
        await self.redis.hdel(OUTBOX_KEY, event_id)

    async def ping(self) -> bool:
        return bool(await self.redis.ping())

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

# Compare-and-set of alert states, one per key. KEYS: alert keys. ARGV: ttl (s), then per key
# its observed state (open|closed), fallback state when Redis has none (open|closed|""), now
# (ISO), the fields a failure concerns (JSON). Returns, flat, {position (1-based), changed
# (0|1), previous since, previous fields, fields newly failing while the alert was already
# open (JSON)} for each key whose state changed or gained fields, and nothing for the others
# (one script call per batch instead of one per key: 13.8 % of the monitor's CPU was these).
# A first observation that is healthy changes nothing worth telling; a first observation
# that fails opens an alert. The fields of the opening failure are kept so the recovery
# reaches the same people; a field that starts failing while the alert is open is added
# to them and reported, so the people who use it are told too (once).
_TRANSITION = """
local ttl = ARGV[1]
local out = {}
for i, key in ipairs(KEYS) do
  local at = 1 + (i - 1) * 4
  local observed, fallback = ARGV[at + 1], ARGV[at + 2]
  local now, observed_fields = ARGV[at + 3], ARGV[at + 4]
  local stored_state = redis.call('HMGET', key, 'state', 'since', 'fields')
  local known = stored_state[1]
  local since = stored_state[2] or ''
  local fields = stored_state[3] or '[]'
  local current = known or fallback
  if current == observed then
    local added = {}
    if not known then
      redis.call('HSET', key, 'state', current, 'since', now, 'fields', observed_fields)
    elseif current == 'open' then
      local stored = cjson.decode(fields)
      local seen = {}
      for _, name in ipairs(stored) do seen[name] = true end
      for _, name in ipairs(cjson.decode(observed_fields)) do
        if not seen[name] then
          seen[name] = true
          table.insert(stored, name)
          table.insert(added, name)
        end
      end
      if #added > 0 then redis.call('HSET', key, 'fields', cjson.encode(stored)) end
    end
    redis.call('EXPIRE', key, ttl)
    if #added > 0 then
      table.insert(out, i)
      table.insert(out, 0)
      table.insert(out, since)
      table.insert(out, fields)
      table.insert(out, cjson.encode(added))
    end
  else
    redis.call('HSET', key, 'state', observed, 'since', now, 'fields', observed_fields)
    redis.call('EXPIRE', key, ttl)
    if not (current == '' and observed == 'closed') then
      table.insert(out, i)
      table.insert(out, 1)
      table.insert(out, since)
      table.insert(out, fields)
      table.insert(out, '[]')
    end
  end
end
return out
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


# What :meth:`MonitorState.transitions` says of a pair whose state stayed (nothing to tell).
_UNCHANGED = Transition(False, None, [])


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
        """:meth:`transition` for many pairs in one script call: one round trip, and an answer
        naming only the pairs whose state changed or whose open alert gained fields (most
        results keep their state). Each pair's compare-and-set is atomic, as before."""
        if not observations:
            return []
        keys: list[str] = []
        args: list[str | int] = [ALERT_TTL_SECONDS]
        for o in observations:
            keys.append(f"{PREFIX}:alert:{o.contract_id}:{o.check_type}")
            args += (o.state, o.fallback, o.now_iso, json.dumps(o.fields) if o.fields else "[]")
        reply = await self._transition(keys=keys, args=args)
        transitions = [_UNCHANGED] * len(observations)
        for at in range(0, len(reply), 5):
            position, changed, since, previous_fields, added = reply[at : at + 5]
            transitions[int(position) - 1] = Transition(
                bool(int(changed)), _text(since) or None, _names(previous_fields), _names(added)
            )
        return transitions

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

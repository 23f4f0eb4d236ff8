"""``cached_attribute``: ``functools.cached_property`` without its lock.

On Python 3.11 ``cached_property`` takes one ``RLock`` per property, shared by every instance
of the class, on each first read; a thread holding it can lose the GIL, and every other
thread reading the property of any instance then waits (Python 3.12 removed the lock for
this reason). In the data agent, worker threads planning tables and the event loop
reporting them read the same rule properties: the event loop spent 31 % of its samples
waiting for that lock in a 10,000-contract sweep (py-spy, 2026-12-06).

Use it for pure functions of an instance that never changes what they read: two threads
reading it first at once both compute it, and either answer is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Self, TypeVar, overload

T = TypeVar("T")


class cached_attribute(Generic[T]):  # noqa: N801 (used like the property it replaces)
    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | Self:
        if instance is None:
            return self
        value = self.compute(instance)
        instance.__dict__[self.name] = value  # read from there from now on, no descriptor
        return value

from __future__ import annotations

import threading

from datapact_common.cached import cached_attribute


class Box:
    computed = 0

    def __init__(self, size: int) -> None:
        self.size = size

    @cached_attribute
    def area(self) -> int:
        """The box's area."""
        Box.computed += 1
        return self.size * self.size


def test_computed_once_per_instance_then_read_as_an_attribute() -> None:
    Box.computed = 0
    small, large = Box(2), Box(3)
    assert (small.area, small.area, large.area, large.area) == (4, 4, 9, 9)
    assert Box.computed == 2
    assert small.__dict__["area"] == 4 and isinstance(Box.__dict__["area"], cached_attribute)
    assert Box.area.__doc__ == "The box's area."


def test_no_lock_is_shared_between_instances() -> None:
    """functools.cached_property (3.11) would block here: its lock is held by the thread
    computing another instance's value."""
    entered, release = threading.Event(), threading.Event()

    class Slow:
        @cached_attribute
        def value(self) -> str:
            if not entered.is_set():
                entered.set()
                release.wait(10)
            return "done"

    first, second = Slow(), Slow()
    worker = threading.Thread(target=lambda: first.value)
    worker.start()
    assert entered.wait(10)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(second.value))
    reader.start()
    reader.join(5)
    assert read == ["done"]  # while the other instance's value is still computing
    release.set()
    worker.join(10)
    assert first.value == "done"

"""Exit codes and the one error type commands raise (printed without a traceback)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INVALID = 1  # invalid document, too small version bump, refused change
    USAGE = 2  # wrong options or arguments (Click's own code)
    NOT_FOUND = 3  # no such contract, version or file
    AUTH = 4  # no token, bad token, or not allowed
    SERVER = 5  # registry unreachable or failing
    NEUTRAL = 6  # check: a changed part could not be read, so the verdict is neither way
    GIT = 7  # check: not a git checkout, unknown ref, no merge base, git missing


EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 invalid document or version policy violation; 2 usage error; "
    "3 not found; 4 authentication or permission refused; 5 registry unreachable or "
    "server error; 6 check verdict neutral (a change could not be read); 7 git error."
)


class CliError(Exception):
    """A failure to report to the user: a message, detail lines and an exit code."""

    def __init__(
        self, message: str, code: ExitCode = ExitCode.INVALID, details: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []

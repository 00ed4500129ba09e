"""The error hierarchy. Every error names where it happened so the CLI can print one clear line.

`ReviewError` carries optional file, sheet, row and column; the CLI turns any `ReviewError` into a single
message and the exit code of its class:

    0 success · 1 rows rejected (validate) or outputs differ (verify) · 2 the case or a file could not
    be read · 3 encrypted workbook · 4 file over the size limit · 5 unsafe file (zip bomb, external
    entity) · 7 invalid decisions file · 8 missing or unreadable manifest · 70 internal error (a bug)
"""
from __future__ import annotations


class ReviewError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 2

    def __init__(self, message: str, *, file=None, sheet=None, row=None, column=None):
        super().__init__(message)
        self.message = message
        self.file = None if file is None else str(file)
        self.sheet = sheet
        self.row = row
        self.column = column

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet not in (None, ""):
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column not in (None, ""):
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class ConfigError(ReviewError):
    """case.yml, a profile, a vocabulary or rules.yml is missing or invalid."""

    exit_code = 2


class IngestError(ReviewError):
    """A file could not be read at all (not a spreadsheet, corrupt, empty...)."""

    exit_code = 2


class EncryptedFileError(IngestError):
    """A password-protected / encrypted workbook."""

    exit_code = 3


class FileTooLargeError(IngestError):
    """A file over the configured size limit (case.yml `max_file_mb`)."""

    exit_code = 4


class UnsafeFileError(IngestError):
    """A file that looks hostile: a zip bomb, an XML external entity."""

    exit_code = 5


class DecisionError(ReviewError):
    """A reviewers' decisions file is invalid."""

    exit_code = 7


class VerifyError(ReviewError):
    """A manifest is missing or unreadable."""

    exit_code = 8

"""Ingestion: agency chronologies (xlsx, xlsm, xls, ods, csv, docx) into the canonical contact table.

    contacts, report = load_contacts(case)        # the pipeline (review.ingest.load)
    tables = read_tables(path, spec, case)        # one file's sheets as RawTables (review.ingest.readers)

`load_contacts` and `read_tables` are imported on first use, so importing this package stays cheap.
"""
from .report import FileReport, IngestReport, Rejection, RowWarning
from .tables import RawTable

__all__ = ["FileReport", "IngestReport", "Rejection", "RowWarning", "RawTable", "load_contacts", "read_tables"]


def __getattr__(name: str):
    if name == "load_contacts":
        from .load import load_contacts

        return load_contacts
    if name == "read_tables":
        from .readers import read_tables

        return read_tables
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

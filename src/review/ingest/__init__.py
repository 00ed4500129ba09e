"""Ingestion: agency chronologies (xlsx, xlsm, xls, ods, csv, docx) into the canonical contact table."""
from .report import FileReport, IngestReport, Rejection, RowWarning
from .tables import RawTable

__all__ = ["FileReport", "IngestReport", "Rejection", "RowWarning", "RawTable"]

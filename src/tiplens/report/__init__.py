"""One report builder for every pillar: a report is data (sections of blocks), rendered
by the same template, offline, with every table also written as CSV."""

from tiplens.report.builder import Chart, Html, Note, Report, Section, Table, write_report

__all__ = ["Chart", "Html", "Note", "Report", "Section", "Table", "write_report"]

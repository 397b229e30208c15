"""Storage: the only package that speaks SQL."""
from __future__ import annotations

from .repository import REPORT_SUFFIX, Repository, check_report_file

__all__ = ["Repository", "REPORT_SUFFIX", "check_report_file"]

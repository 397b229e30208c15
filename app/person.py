"""Who is working, and when: stored with every change, comment and review action."""
from __future__ import annotations

import datetime
import getpass
import os
from dataclasses import dataclass

from .model import ROLES


@dataclass(frozen=True)
class Person:
    """Who is working: stored with every change and review action."""

    name: str
    role: str = "compiler"  # clerk 承辦人 / chief 主管 / compiler 彙整

    @classmethod
    def from_environment(cls) -> "Person":
        """For the CLI: WORKREPORT_USER / WORKREPORT_ROLE, else the login name as 彙整."""
        name = os.environ.get("WORKREPORT_USER")
        if not name:
            try:
                name = getpass.getuser()
            except Exception:
                name = "?"
        role = os.environ.get("WORKREPORT_ROLE", "compiler")
        return cls(name, role if role in ROLES else "compiler")


def now_iso() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")

"""Writing files so that an interruption never leaves half a file behind.

:func:`atomic_output` writes under a temporary name made by
``tempfile.mkstemp`` — which creates it with mode 0600 — and renames it over
the target.  Before the rename the file gets the mode a plain ``open()``
would have given it: ``0666`` less the user's umask for a new file (0644
under umask 022, 0640 under 027), or the mode of the file it replaces, so
that colleagues on a shared folder can read exports and report files as the
user's settings allow.
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import ReportError, os_reason


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: read by setting, then restore at once
    os.umask(mask)
    return mask


def output_mode(target: Path) -> int:
    """The permission bits ``target`` should get: its current ones, or 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~current_umask()


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success.

    The temporary file lives in the target's folder so the final
    ``os.replace`` is a rename on one file system (atomic on POSIX and NTFS).
    On any exception — including a kill's KeyboardInterrupt — the temporary
    file is removed and ``target`` is as it was.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ReportError("資料夾不存在", folder)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ReportError(f"無法在此資料夾建立檔案（{os_reason(exc)}）", target) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if os.name == "posix":  # after writing: a writer may have made the file anew
            with contextlib.suppress(OSError):  # FAT/SMB mounts may refuse; the file is still good
                os.chmod(tmp, output_mode(target))
        with open(tmp, "rb+") as handle:  # on disk before it takes the name
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        # Only a failure to write *this* file is the user's "cannot write" (disk full,
        # no permission); an OSError about some other file (a missing template inside
        # a library) is a bug and must not be disguised as one.
        if exc.filename not in (None, str(tmp), str(target)) and not isinstance(exc, (PermissionError,)) \
                and exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG):
            raise
        raise ReportError(f"無法寫入檔案（{os_reason(exc)}）", target) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise

"""Writing files so that an interruption never leaves half a file behind."""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import ReportError


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
        raise ReportError(f"無法在此資料夾建立檔案（{exc.strerror}）", target) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
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
        raise ReportError(f"無法寫入檔案（{exc.strerror or exc}）", target) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise

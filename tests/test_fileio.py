"""atomic_output: nothing under the target name unless complete; honest errors."""
from __future__ import annotations

import errno

import pytest

from app.errors import ReportError
from app.fileio import atomic_output


def test_complete_file_takes_the_name(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_output(target) as tmp:
        tmp.write_text("完整", encoding="utf-8")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "完整"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("舊的", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_text("一半", encoding="utf-8")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "舊的"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_disk_full_while_writing_is_a_chinese_message(tmp_path):
    with pytest.raises(ReportError, match="無法寫入檔案（磁碟空間不足）") as caught:
        with atomic_output(tmp_path / "out.txt"):
            raise OSError(errno.ENOSPC, "No space left on device")
    assert "space" not in str(caught.value)


def test_os_errors_are_told_in_chinese_not_in_the_c_library_s_english():
    from app.errors import os_reason

    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "沒有存取權限"
    assert os_reason(OSError(errno.EROFS, "Read-only file system")) == "磁碟是唯讀的"
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "找不到檔案或資料夾"
    assert os_reason(OSError(9999, "Something odd")) == "系統錯誤 9999"


def test_a_missing_file_elsewhere_is_not_disguised_as_a_write_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        with atomic_output(tmp_path / "out.docx"):
            raise FileNotFoundError(errno.ENOENT, "No such file", "/somewhere/template.docx")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it afterwards."""
    import os

    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_new_file_gets_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "out.txt"
    with atomic_output(target) as tmp:
        tmp.write_text("x", encoding="utf-8")
    assert target.stat().st_mode & 0o777 == mode  # not mkstemp's 0600


def test_replaced_file_keeps_its_mode(tmp_path, umask):
    import os

    umask(0o022)
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o660)
    with atomic_output(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o660


@pytest.mark.parametrize("fmt", ["docx", "odt", "xlsx", "ods", "csv", "json"])
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_every_export_format_gets_the_umask_mode(tmp_path, small, umask, fmt, mask, mode):
    from app.exporters import export

    umask(mask)
    target = export(small, fmt, tmp_path / f"out.{fmt}")
    assert target.stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_new_report_file_gets_the_umask_mode(tmp_path, small, umask, mask, mode):
    from app.storage.repository import Repository

    umask(mask)
    path = tmp_path / "new.awr"
    repo = Repository.create(path, small)
    repo.close()
    assert path.stat().st_mode & 0o777 == mode

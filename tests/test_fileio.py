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
    with pytest.raises(ReportError, match="無法寫入檔案"):
        with atomic_output(tmp_path / "out.txt"):
            raise OSError(errno.ENOSPC, "No space left on device")


def test_a_missing_file_elsewhere_is_not_disguised_as_a_write_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        with atomic_output(tmp_path / "out.docx"):
            raise FileNotFoundError(errno.ENOENT, "No such file", "/somewhere/template.docx")
    assert list(tmp_path.iterdir()) == []

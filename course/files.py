"""Writing the files a grading run leaves behind."""
from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, text: str) -> Path:
    """Write TEXT to PATH through a temporary file beside it and a rename, so that a reader (or a run killed
    halfway) sees the old file or the new one, never half of one. Text a student wrote that is not valid Unicode
    (a lone surrogate) is written as an escape instead of failing."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", errors="backslashreplace")
    os.replace(tmp, path)
    return path

"""Uniform access to an export given as a folder, a .zip, or a single file."""

from __future__ import annotations

import fnmatch
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

from mutuals.errors import ImportFormatError


class SourceFiles:
    """The files of an export. Names are POSIX paths relative to the export's root."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if not path.exists():
            raise ImportFormatError(str(path), "no such file or folder")
        if path.is_dir():
            self._names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
            self.kind = "folder"
        elif zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
                self._names = sorted(i.filename for i in self._zip.infolist() if not i.is_dir())
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ImportFormatError(str(path), f"not a readable zip archive ({exc})") from None
            self.kind = "zip"
        else:
            self._names = [path.name]
            self.kind = "file"
        if self.kind != "file" and not self._names:
            raise ImportFormatError(str(path), "the export is empty (no files in it)")

    # -- context manager -------------------------------------------------------------------------
    def __enter__(self) -> SourceFiles:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    # -- lookup ----------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return list(self._names)

    def find(self, *patterns: str) -> list[str]:
        """Names whose path or base name matches any glob pattern (case-insensitive)."""
        out = []
        for name in self._names:
            low = name.lower()
            base = PurePosixPath(low).name
            if any(fnmatch.fnmatch(low, p.lower()) or fnmatch.fnmatch(base, p.lower()) for p in patterns):
                out.append(name)
        return out

    def first(self, *patterns: str) -> str | None:
        found = self.find(*patterns)
        return found[0] if found else None

    def label(self, name: str) -> str:
        """How to name a file in messages: the export's path, and the member inside it."""
        if self.kind == "file":
            return str(self.path)
        return f"{self.path}:{name}" if self.kind == "zip" else str(self.path / name)

    def size(self, name: str) -> int:
        if self._zip is not None:
            return self._zip.getinfo(name).file_size
        return (self.path if self.kind == "file" else self.path / name).stat().st_size

    # -- reading ---------------------------------------------------------------------------------
    def open(self, name: str) -> IO[bytes]:
        if self._zip is not None:
            try:
                return self._zip.open(name)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                raise ImportFormatError(self.label(name), f"cannot be read from the zip ({exc})") from None
        return open(self.path if self.kind == "file" else self.path / name, "rb")

    def read_bytes(self, name: str) -> bytes:
        try:
            with self.open(name) as fh:
                return fh.read()
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ImportFormatError(self.label(name), f"is truncated or corrupt ({exc})") from None

    def head(self, name: str, size: int = 4096) -> bytes:
        try:
            with self.open(name) as fh:
                return fh.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, ImportFormatError):
            return b""

    def read_text(self, name: str, encodings: tuple[str, ...] = ("utf-8-sig",)) -> str:
        """The file decoded with the first encoding that fits; names the file when none does."""
        data = self.read_bytes(name)
        for enc in encodings:
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
        raise ImportFormatError(
            self.label(name), f"is not text in any expected encoding ({', '.join(encodings)})"
        )

    def text_stream(self, name: str, encoding: str = "utf-8-sig") -> Iterator[str]:
        """Lines of a text file, decoded as they are read (for big CSV / JSONL files)."""
        try:
            with self.open(name) as raw:
                wrapper = io.TextIOWrapper(raw, encoding=encoding, newline="")
                yield from wrapper
        except UnicodeDecodeError as exc:
            raise ImportFormatError(
                self.label(name), f"is not valid {encoding} text (byte {exc.start})"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ImportFormatError(self.label(name), f"is truncated or corrupt ({exc})") from None

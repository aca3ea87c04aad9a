"""The JavaScript wrapper is streamed one element at a time, whatever the chunk boundaries."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mutuals.connectors.files import SourceFiles
from mutuals.connectors.x_archive import formats
from mutuals.errors import ImportFormatError
from tests.conftest import CASES

DATA = CASES / "x_archive" / "small" / "data"


@pytest.mark.parametrize("chunk", [7, 64, 1000, 1 << 20])
@pytest.mark.parametrize("name", ["tweets.js", "direct-messages.js", "like.js"])
def test_streamed_elements_equal_the_whole_array(
    monkeypatch: pytest.MonkeyPatch, chunk: int, name: str
) -> None:
    monkeypatch.setattr(formats, "_CHUNK", chunk)
    text = (DATA / name).read_text(encoding="utf-8")
    expected = json.loads(text[text.index("=") + 1 :])
    with SourceFiles(DATA) as files:
        assert list(formats.iter_array(files, name)) == expected


def test_a_file_cut_inside_an_element_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(formats, "_CHUNK", 50)
    cut = tmp_path / "like.js"
    cut.write_bytes((DATA / "like.js").read_bytes()[:-40])
    with SourceFiles(tmp_path) as files, pytest.raises(ImportFormatError, match=r"like\.js"):
        list(formats.iter_array(files, "like.js"))


def test_tweet_dates_with_an_offset_are_converted_to_utc() -> None:
    assert formats.parse_tweet_time("Wed Jan 04 12:00:00 -0500 2023") == datetime(2023, 1, 4, 17, tzinfo=UTC)
    assert formats.parse_tweet_time("Tue Jan 25 16:41:04 +0000 2022") == datetime(
        2022, 1, 25, 16, 41, 4, tzinfo=UTC
    )
    with pytest.raises(ValueError):
        formats.parse_tweet_time("25/01/2022")


def test_grailbird_and_iso_dates_parse_to_utc() -> None:
    assert formats.parse_iso_time("2019-02-08 08:38:13 +0000") == datetime(2019, 2, 8, 8, 38, 13, tzinfo=UTC)
    assert formats.parse_iso_time("2021-02-25T16:08:18.988Z") == datetime(
        2021, 2, 25, 16, 8, 18, 988000, tzinfo=UTC
    )

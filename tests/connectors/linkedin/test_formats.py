"""LinkedIn's formats across the years: encodings, the "Notes:" preamble, date formats (invented files)."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mutuals.connectors.files import SourceFiles
from mutuals.connectors.linkedin import formats as f
from mutuals.errors import ImportFormatError

CONNECTIONS = (
    "First Name,Last Name,Email Address,Company,Position,Connected On\r\n"
    "Zoë,Brandt,,Café Noir,Owner,04 Nov 2018\r\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("04 Nov 2018", datetime(2018, 11, 4, tzinfo=UTC)),
        ("11/4/18, 10:07 AM", datetime(2018, 11, 4, 10, 7, tzinfo=UTC)),
        ("1/8/18, 6:14 PM", datetime(2018, 1, 8, 18, 14, tzinfo=UTC)),
        ("2018-11-04 10:07:13 UTC", datetime(2018, 11, 4, 10, 7, 13, tzinfo=UTC)),
        ("2018-11-04 10:07:13", datetime(2018, 11, 4, 10, 7, 13, tzinfo=UTC)),
        ("2017/06/08 08:15:44 UTC", datetime(2017, 6, 8, 8, 15, 44, tzinfo=UTC)),
        ("Sun Nov 04 10:07:13 UTC 2018", datetime(2018, 11, 4, 10, 7, 13, tzinfo=UTC)),
        ("4-Nov-18", datetime(2018, 11, 4, tzinfo=UTC)),
    ],
)
def test_every_date_format_linkedin_has_used_is_read(text: str, expected: datetime) -> None:
    assert f.parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "31/31/31"])
def test_a_string_that_is_no_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        f.parse_date(text)


@pytest.mark.parametrize(
    "encoded",
    [
        CONNECTIONS.encode("utf-8"),
        codecs.BOM_UTF8 + CONNECTIONS.encode("utf-8"),
        codecs.BOM_UTF16_LE + CONNECTIONS.encode("utf-16-le"),
        CONNECTIONS.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16-bom", "cp1252"],
)
def test_each_encoding_linkedin_writes_is_detected(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(encoded)
    with SourceFiles(path) as files:
        (row,) = list(f.rows(files, "Connections.csv", f.CONNECTIONS))
    assert isinstance(row, f.Row)
    assert (row.get("firstname"), row.get("company")) == ("Zoë", "Café Noir")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-32"])
def test_an_unexpected_encoding_is_refused_naming_the_file(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(CONNECTIONS.encode(encoding))  # UTF-16 without a BOM; UTF-32
    with SourceFiles(path) as files, pytest.raises(ImportFormatError) as err:
        list(f.rows(files, "Connections.csv", f.CONNECTIONS))
    assert "Connections.csv" in str(err.value) and "encoding" in str(err.value)


def test_the_header_row_is_found_below_the_notes_preamble(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text('Notes:\n"Some e-mail addresses, may be missing."\n\n' + CONNECTIONS, encoding="utf-8")
    with SourceFiles(path) as files:
        (row,) = list(f.rows(files, "Connections.csv", f.CONNECTIONS))
    assert isinstance(row, f.Row)
    assert row.get("connectedon") == "04 Nov 2018"
    assert row.number == 5  # Notes:, the explanation, a blank line, the header


def test_a_tab_separated_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    path.write_text(
        '"Date"\t"Share Link"\t"Share Commentary"\n"2017/06/08 08:15:44 UTC"\t"https://x"\t"Hi, all"\n'
    )
    with SourceFiles(path) as files:
        (row,) = list(f.rows(files, "Shares.csv", f.SHARES))
    assert isinstance(row, f.Row)
    assert row.get("sharecommentary") == "Hi, all"


def test_a_csv_without_the_expected_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text("id,name\n1,alpha\n")
    with SourceFiles(path) as files, pytest.raises(ImportFormatError) as err:
        list(f.rows(files, "Connections.csv", f.CONNECTIONS))
    assert "header row" in str(err.value)

"""The CSV files Mastodon offers under Preferences → Import and export → Data export.

Layouts as Mastodon writes them (``app/models/export.rb``); older servers (about 2017–2019) wrote the
follows file as one bare address per line, with no header, and that is accepted too.

| file | header | columns |
|---|---|---|
| ``following_accounts.csv`` | yes | Account address, Show boosts, Notify on new posts, Languages |
| ``muted_accounts.csv`` | yes | Account address, Hide notifications |
| ``blocked_accounts.csv`` | no | address |
| ``domain_blocks.csv`` | no | domain |
| ``bookmarks.csv`` | no | status URL |
| ``lists.csv`` | no | list title, address |

There is no followers export. None of the files carries a date.
"""

from __future__ import annotations

import re
from enum import StrEnum

FOLLOWING_HEADER = ("Account address", "Show boosts", "Notify on new posts", "Languages")
MUTED_HEADER = ("Account address", "Hide notifications")


class FileKind(StrEnum):
    FOLLOWING = "following"
    BLOCKED = "blocked accounts"
    MUTED = "muted accounts"
    DOMAIN_BLOCKS = "blocked domains"
    BOOKMARKS = "bookmarks"
    LISTS = "lists"


# Base-name patterns, as downloaded (browsers may add " (1)" or a date; we keep what follows the stem).
NAME_PATTERNS: dict[FileKind, re.Pattern[str]] = {
    FileKind.FOLLOWING: re.compile(r"^following_accounts.*\.csv$", re.I),
    FileKind.BLOCKED: re.compile(r"^blocked_accounts.*\.csv$", re.I),
    FileKind.MUTED: re.compile(r"^muted_accounts.*\.csv$", re.I),
    FileKind.DOMAIN_BLOCKS: re.compile(r"^(domain_blocks|blocked_domains).*\.csv$", re.I),
    FileKind.BOOKMARKS: re.compile(r"^bookmarks.*\.csv$", re.I),
    FileKind.LISTS: re.compile(r"^lists.*\.csv$", re.I),
}

# A date kept in the file name, e.g. following_accounts_2023-07-02_e66aa10d.csv.
DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def kind_of(base_name: str) -> FileKind | None:
    for kind, pattern in NAME_PATTERNS.items():
        if pattern.match(base_name):
            return kind
    return None

"""What a connector is, and the options an import runs with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from mutuals.connectors.files import SourceFiles
from mutuals.domain import Account, Network, Record
from mutuals.errors import InvalidInputError


@dataclass(frozen=True)
class ImportOptions:
    source: str | None = None
    """The connector kind; ``None`` detects it."""
    account: str | None = None
    """Our account's handle, for exports that do not say whose they are."""
    as_of: datetime | None = None
    """When a snapshot (a follower list) was taken, for exports that carry no date of their own."""
    allow_empty_snapshot: bool = False
    """Accept an empty follower / following list as real (otherwise it is taken for a broken export)."""

    def account_for(self, network: Network, found: str | None = None) -> Account:
        """Our account: the ``--account`` given, else what the export says, else a clear error. An export
        that says whose it is and a ``--account`` naming somebody else is an error: its follower lists
        would otherwise be folded into the wrong account's history."""
        named, owner = (self.account or "").strip().lstrip("@"), (found or "").strip().lstrip("@")
        if named and owner and named.lower() != owner.lower():
            raise InvalidInputError(
                f"this {network.value} export belongs to {owner}, not to --account {named}: "
                "leave out --account, or import the export of that account"
            )
        handle = (self.account or found or "").strip().lstrip("@")
        if not handle:
            raise InvalidInputError(
                "this export does not say whose it is: name our account with --account HANDLE"
            )
        return Account(network=network, handle=handle)


class Connector(Protocol):
    kind: str
    """The name used with ``mutuals import --source``."""
    title: str

    def detect(self, files: SourceFiles) -> bool:
        """Whether ``files`` look like this connector's export (cheap: names and first bytes only)."""
        ...

    def read(self, files: SourceFiles, options: ImportOptions) -> Iterator[Record]:
        """Yield the export's records. Raise ImportFormatError for a file that cannot be read at all;
        yield a Problem for a single bad record and go on."""
        ...

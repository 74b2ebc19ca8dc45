"""The SQLite store: one connection, one repository per aggregate.

`Store.open` is what the composition roots (bot/app.py, officer_cli) call; the services see
only the ports of conversations/ports.py, which these repositories satisfy structurally.
"""

from __future__ import annotations

from pathlib import Path

from storage.audit import Audit
from storage.blobs import BlobStore
from storage.connection import Connection
from storage.followups import Followups
from storage.outbox import Outbox
from storage.reports import Reports
from storage.sessions import Sessions
from storage.vault import Vault
from storage.whatsapp import WhatsApp


class Store:
    def __init__(self, connection: Connection, blobs: BlobStore) -> None:
        self.connection = connection
        self.vault = connection.vault
        self.blobs = blobs
        self.sessions = Sessions(connection)
        self.reports = Reports(connection)
        self.outbox = Outbox(connection)
        self.followups = Followups(connection)
        self.audit = Audit(connection)
        self.whatsapp = WhatsApp(connection)

    @classmethod
    async def open(cls, database: Path, vault: Vault) -> Store:
        connection = await Connection.open(database, vault)
        return cls(connection, BlobStore(database.parent / "evidence", vault))

    async def close(self) -> None:
        await self.connection.close()

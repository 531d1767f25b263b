"""Reference lists held in memory: read on every screen, changed almost never."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.storage import reference as repo
from bot.storage.db import Database
from bot.storage.reference import Ref
from bot.text import fold, words


@dataclass
class ReferenceData:
    regions: list[Ref] = field(default_factory=list)
    positions: list[Ref] = field(default_factory=list)
    themes: list[Ref] = field(default_factory=list)
    administrations: list[Ref] = field(default_factory=list)
    _by_code: dict[str, dict[str, Ref]] = field(default_factory=dict)
    _admin_folded: list[tuple[str, Ref]] = field(default_factory=list)

    @classmethod
    async def load(cls, db: Database) -> ReferenceData:
        def read(conn):
            return (repo.regions(conn), repo.positions(conn), repo.themes(conn),
                    repo.administrations(conn, 0, 100_000))

        data = cls(*await db.read(read))
        data._index()
        return data

    async def reload(self, db: Database) -> None:
        """Read the lists again, in place: every service holding this object (exports, charts,
        screens) sees the new administrations, themes and positions of an import at once."""
        fresh = await self.load(db)
        self.regions, self.positions = fresh.regions, fresh.positions
        self.themes, self.administrations = fresh.themes, fresh.administrations
        self._index()

    def _index(self) -> None:
        self._by_code = {
            name: {r.code: r for r in getattr(self, name)}
            for name in ("regions", "positions", "themes", "administrations")
        }
        self._admin_folded = [(fold(f"{a.code} {a.name_fr} {a.name_ar}"), a) for a in self.administrations]

    def get(self, kind: str, code: str | None) -> Ref | None:
        return self._by_code.get(kind, {}).get(code or "")

    def search_administrations(self, query: str, limit: int = 8) -> list[Ref]:
        """Administrations whose names (either language, accents ignored) contain every word."""
        terms = words(query)
        if not terms:
            return []
        return [a for folded, a in self._admin_folded if all(t in folded for t in terms)][:limit]

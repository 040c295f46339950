"""The model_versions rows the trainer reads and writes (core/migrations/011_model_versions.sql)."""

import json
from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from .objects import sha256_file
from .paths import REPO, SHIPPED_ONNX


@dataclass
class Version:
    version: str
    #: a shipped version's (no parent) path in the repository; a trained one's key in the object store
    onnx_path: str
    onnx_sha256: str
    parent_version: str | None
    card: dict


COLUMNS = "version, onnx_path, onnx_sha256, parent_version, card"


class Store:
    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)

    def active(self) -> Version:
        """The active version; where none is active yet, the shipped model, registered as the active row (the
        server does the same at start: whichever comes first inserts it, the other changes nothing)."""
        with self.connect() as db:
            row = db.execute(f"SELECT {COLUMNS} FROM model_versions WHERE status = 'active'").fetchone()
            if row:
                return Version(*row)
            card = json.loads(SHIPPED_ONNX.with_name("tuban-change.card.json").read_text())
            db.execute(
                """INSERT INTO model_versions (version, card, onnx_path, onnx_sha256, status)
                   SELECT %s, %s, %s, %s, 'active'
                   WHERE NOT EXISTS (SELECT 1 FROM model_versions WHERE status = 'active')
                   ON CONFLICT DO NOTHING""",
                (card["version"], Jsonb(card), str(SHIPPED_ONNX.relative_to(REPO)), sha256_file(SHIPPED_ONNX)),
            )
            row = db.execute(f"SELECT {COLUMNS} FROM model_versions WHERE status = 'active'").fetchone()
            if not row:
                raise RuntimeError("no active model version and the shipped one could not be registered")
            return Version(*row)

    def exists(self, version: str) -> dict | None:
        with self.connect() as db:
            row = db.execute("SELECT parent_version, metrics FROM model_versions WHERE version = %s", (version,)).fetchone()
            return {"parentVersion": row[0], "metrics": row[1]} if row else None

    def insert_candidate(self, version: str, parent: str, card: dict, onnx_rel: str, sha: str, manifest: dict, metrics: dict, created_by: int | None) -> None:
        with self.connect() as db:
            db.execute(
                """INSERT INTO model_versions (version, parent_version, card, onnx_path, onnx_sha256, training_manifest, metrics, status, created_by)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, 'candidate', %s)""",
                (version, parent, Jsonb(card), onnx_rel, sha, Jsonb(manifest), Jsonb(metrics), created_by),
            )

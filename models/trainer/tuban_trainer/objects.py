"""The object store named by STORAGE_URL, read as core/src/storage/storage-url.ts reads it: empty for the folder
DATA_DIR, file:///PATH for another folder, s3://BUCKET[/PREFIX]?endpoint=URL[&region=R] for an S3-compatible
bucket (keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; without them a self-hosted endpoint gets tuban/tuban,
the key of the local SeaweedFS, as in core/src/storage/s3-object-store.ts).

The trainer reads training sets from the store and writes trained versions into it, so a trainer machine shares
nothing with the others but PostgreSQL, Redis and the store. With S3, DATA_DIR is only its working folder: copies
of training sets and parent models, and the version being built.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SAFE_KEY = re.compile(r"^[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*/?$")
MANIFEST = "manifest.json"


class StorageUrlError(ValueError):
    pass


def check_key(key: str) -> str:
    """Refuses keys that could leave the store's folder or prefix ('..', absolute, empty segments)."""
    if not SAFE_KEY.match(key) or any(s in (".", "..") for s in key.split("/")):
        raise ValueError(f"bad object key: {key!r}")
    return key


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Attempt:
    """One attempt at training a version, on this machine."""

    #: where the version's files are built
    staging: Path
    #: all the attempt writes on this machine (the staging folder, a copy of the training set): removed at its end
    scratch: Path


def _temp_beside(path: Path) -> Path:
    return path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")


class Folder:
    """Objects as files under a folder: key a/b is ROOT/a/b. Trained versions are renamed into place."""

    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.describe = f"folder {root}"

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def training_set(self, key: str, _work: Path) -> Path | None:
        """The set's folder, read in place; None when it has no manifest (not there, or not complete)."""
        folder = self.path(key)
        return folder if (folder / MANIFEST).is_file() else None

    def model_file(self, version, _cache: Path) -> Path:
        """A trained version's ONNX file (a store.Version), read in place; its card lies beside it."""
        return self.path(version.onnx_path)

    def attempt(self, version: str, _work: Path) -> Attempt:
        staging = self.root / "models" / ".staging" / f"{version}-{os.getpid()}"
        return Attempt(staging, staging)

    def clear_version(self, version: str, _work: Path) -> None:
        """Removes what an earlier, killed attempt at `version` left: its staging folders and an unregistered folder."""
        for leftover in [*(self.root / "models" / ".staging").glob(f"{version}-*"), self.root / "models" / version]:
            shutil.rmtree(leftover, ignore_errors=True)

    def publish_version(self, staging: Path, version: str) -> None:
        final = self.path(f"models/{version}")
        final.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, final)


class S3:
    """Objects in an S3-compatible bucket under an optional key prefix, through boto3."""

    kind = "s3"

    def __init__(self, bucket: str, prefix: str, endpoint: str | None, region: str) -> None:
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix
        self.describe = f"s3://{bucket}/{prefix}" + (f" at {endpoint}" if endpoint else "")
        config = Config(
            s3={"addressing_style": "path"} if endpoint else {},
            # checksums only where the API requires them, as S3-compatible stores other than AWS may not know the rest
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"mode": "standard", "max_attempts": 5},
        )
        args: dict = {"region_name": region, "config": config}
        if endpoint:
            args["endpoint_url"] = endpoint
            if not os.environ.get("AWS_ACCESS_KEY_ID"):
                args.update(aws_access_key_id="tuban", aws_secret_access_key="tuban")
        self.client = boto3.client("s3", **args)

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    @staticmethod
    def _missing(err: Exception) -> bool:
        code = getattr(err, "response", {}).get("Error", {}).get("Code")
        return code in ("404", "NoSuchKey", "NotFound")

    def get(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as err:
            if self._missing(err):
                return None
            raise

    def download(self, key: str, dest: Path) -> bool:
        """Copies an object to `dest` (under a temporary name, then renamed); False when there is no such object."""
        from botocore.exceptions import ClientError

        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_beside(dest)
        try:
            self.client.download_file(self.bucket, self._key(key), str(tmp))
            os.replace(tmp, dest)
            return True
        except ClientError as err:
            if self._missing(err):
                return False
            raise
        finally:
            tmp.unlink(missing_ok=True)

    def upload(self, src: Path, key: str) -> None:
        self.client.upload_file(str(src), self.bucket, self._key(key))

    def remove_prefix(self, prefix: str) -> None:
        full = self._key(prefix)
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            for i in range(0, len(keys), 1000):
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys[i : i + 1000], "Quiet": True})

    def training_set(self, key: str, work: Path) -> Path | None:
        """A copy in `work` of the files the set's manifest lists, each checked against the manifest's SHA-256
        (files an interrupted export left beside them are never read); None when the set has no manifest."""
        manifest = self.get(f"{key}/{MANIFEST}")
        if manifest is None:
            return None
        shutil.rmtree(work, ignore_errors=True)
        for path, sha in json.loads(manifest)["files"].items():
            dest = work / check_key(path)
            if not self.download(f"{key}/{path}", dest):
                raise RuntimeError(f"training set {key} in {self.describe}: {path} is listed in its manifest but missing")
            if (got := sha256_file(dest)) != sha:
                raise RuntimeError(f"training set {key} in {self.describe}: {path} has SHA-256 {got}, not the manifest's {sha}")
        (work / MANIFEST).write_bytes(manifest)
        return work

    def model_file(self, version, cache: Path) -> Path:
        """A copy of a trained version's (a store.Version) ONNX file in this machine's cache, with its recorded card
        beside it as the evaluation reads it: CACHE/<version>/tuban-change.onnx, where the Node workers keep theirs.
        A copy already there with the recorded hash is used as it is; the caller checks the hash of a fresh one."""
        path = cache / check_key(version.version) / "tuban-change.onnx"
        if not (path.is_file() and sha256_file(path) == version.onnx_sha256):
            if not self.download(version.onnx_path, path):
                raise RuntimeError(f"model version {version.version}: its ONNX file {version.onnx_path} is missing in {self.describe}")
        card = path.with_name("tuban-change.card.json")
        tmp = _temp_beside(card)
        tmp.write_text(json.dumps(version.card, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp, card)
        return path

    def attempt(self, version: str, work: Path) -> Attempt:
        scratch = work / "train" / f"{version}-{os.getpid()}"
        return Attempt(scratch / "model", scratch)

    def clear_version(self, version: str, work: Path) -> None:
        for leftover in (work / "train").glob(f"{version}-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        self.remove_prefix(f"models/{version}/")

    def publish_version(self, staging: Path, version: str) -> None:
        """Puts the version's files into the store; the model_versions row, inserted after, is what makes it one."""
        for f in sorted(staging.iterdir()):
            self.upload(f, f"models/{version}/{f.name}")
        shutil.rmtree(staging, ignore_errors=True)


def open_store(url: str, data_dir: Path) -> Folder | S3:
    if url == "":
        return Folder(data_dir)
    u = urlsplit(url)
    if u.scheme == "file":
        return Folder(Path(unquote(u.path)))
    if u.scheme != "s3":
        raise StorageUrlError(f"STORAGE_URL must start with s3:// or file:// (got {u.scheme}:)")
    if not u.netloc:
        raise StorageUrlError("STORAGE_URL names no bucket: s3://BUCKET[/prefix]?endpoint=…")
    query = parse_qs(u.query)
    endpoint = query.get("endpoint", [None])[0]
    if endpoint is not None and not re.match(r"^https?://[^/]+", endpoint):
        raise StorageUrlError(f"STORAGE_URL's endpoint must be an http(s) address (got {endpoint})")
    path = u.path.strip("/")
    return S3(u.netloc, f"{path}/" if path else "", endpoint, query.get("region", ["us-east-1"])[0])

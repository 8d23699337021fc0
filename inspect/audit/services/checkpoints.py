"""Automatic signed checkpoints (mốc kiểm chứng) of the audit trail, kept in a directory
outside the database.

Without a checkpoint, someone who can write to the database can change an event and
recompute every later hash, or cut the tail off: what is left is a valid chain. A
checkpoint taken earlier vouches for the head it saw, so ``verify-audit`` against it
fails on both. The worker takes one every hour (an arq cron, unique across workers) and
each process takes one when it shuts down; ``verify-audit`` uses the latest by default.

A new checkpoint is signed only if the chain still extends the latest one kept (the
events since it are recomputed from it): otherwise a rewrite would be laundered into
the next checkpoint within the hour. The directory keeps the last
CONGVU_CHECKPOINT_KEEP files; a copy elsewhere (the backup takes the latest) makes
them harder to remove along with the events.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from congvu.inspect.audit.services.chain import (
    Checkpoint,
    CheckpointError,
    check_signature,
    make_checkpoint,
    verify,
)

log = logging.getLogger("congvu.audit")

PREFIX = "audit-checkpoint-"
SUFFIX = ".json"


class ChainDiverged(CheckpointError):
    """The chain no longer extends the latest checkpoint: nothing new is signed."""


@dataclass(frozen=True)
class CheckpointFile:
    path: Path
    checkpoint: Checkpoint


def checkpoint_files(directory: Path) -> list[Path]:
    """The kept checkpoints, oldest first (names start with their UTC time)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def latest_file(directory: Path) -> Path | None:
    files = checkpoint_files(directory)
    return files[-1] if files else None


def read_checkpoint(path: Path, key: str) -> Checkpoint:
    """The checkpoint in ``path``, its signature checked; CheckpointError if it cannot
    vouch for anything (unreadable, malformed, or not signed with ``key``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(f"cannot read it: {error.__class__.__name__}") from None
    checkpoint = Checkpoint.from_json(text)
    check_signature(checkpoint, key)
    return checkpoint


def _write(directory: Path, checkpoint: Checkpoint) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    # The random part keeps two processes shutting down in the same microsecond apart.
    name = f"{PREFIX}{stamp}-seq{checkpoint.seq}-{secrets.token_hex(2)}{SUFFIX}"
    path = directory / name
    temporary = directory / f".{name}.tmp"
    temporary.write_text(checkpoint.to_json(), encoding="utf-8")
    os.replace(temporary, path)  # never a half-written checkpoint under the real name
    return path


def _prune(directory: Path, keep: int) -> None:
    for old in checkpoint_files(directory)[:-keep]:
        with contextlib.suppress(FileNotFoundError):  # another process pruned it first
            old.unlink()


async def take_checkpoint(directory: Path, key: str, keep: int) -> CheckpointFile:
    """Seal, check that the chain extends the latest kept checkpoint, sign its head and
    keep it in ``directory`` with the ``keep`` - 1 before it.

    Raises ChainDiverged (and writes nothing) when the chain does not extend the latest
    checkpoint, or that checkpoint is not validly signed with ``key``.
    """
    previous_path = latest_file(directory)
    previous: Checkpoint | None = None
    if previous_path is not None:
        try:
            previous = read_checkpoint(previous_path, key)
        except CheckpointError as error:
            raise ChainDiverged(f"{previous_path.name}: {error}") from None
    checkpoint = await make_checkpoint(key)
    # From the previous checkpoint on, or the whole chain for the first one.
    result = await verify(checkpoint, since=previous)
    if not result.ok:
        against = previous_path.name if previous_path else "the whole chain"
        raise ChainDiverged(
            f"audit chain broken at seq {result.first_bad_seq} ({result.problem}); "
            f"checked from {against}"
        )
    path = _write(directory, checkpoint)
    _prune(directory, keep)
    return CheckpointFile(path, checkpoint)


async def checkpoint_quietly(directory: Path, key: str, keep: int) -> CheckpointFile | None:
    """``take_checkpoint`` for shutdown hooks and the cron: a refusal is logged as an
    error (someone must look: the chain no longer extends what was vouched for), any
    other failure as a warning, and neither stops the caller."""
    try:
        taken = await take_checkpoint(directory, key, keep)
    except ChainDiverged as error:
        log.error("audit checkpoint refused", extra={"problem": str(error)})
        return None
    except Exception:
        log.warning("audit checkpoint failed", exc_info=True)
        return None
    log.info(
        "audit checkpoint taken",
        extra={"seq": taken.checkpoint.seq, "file": taken.path.name},
    )
    return taken

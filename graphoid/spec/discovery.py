"""Finding spec files: `*_spec.gd` and `*_spec.gr`, recursively, in a stable order."""

from __future__ import annotations

import os

import attrs

SPEC_SUFFIXES = ("_spec.gd", "_spec.gr")
# Folders never searched: hidden ones (checked by prefix) and tool output.
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "target"})


@attrs.frozen
class Discovery:
    """The spec files found (display paths, in run order) and the paths that do not exist."""

    files: tuple[str, ...]
    missing: tuple[str, ...]


def is_spec_name(name: str) -> bool:
    return name.endswith(SPEC_SUFFIXES)


def _walk(root: str) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        found.extend(os.path.join(folder, f) for f in files if is_spec_name(f) and not f.startswith("."))
    # Sort by path components so a folder's files and subfolders interleave alphabetically
    # the same way on every platform.
    return sorted(found, key=lambda p: os.path.normpath(p).split(os.sep))


def discover(paths: list[str]) -> Discovery:
    """Spec files under `paths` (default `.`). A file named explicitly runs whatever its name;
    a folder contributes its `*_spec.gd` / `*_spec.gr` files, skipping dot folders."""
    files: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for path in paths or ["."]:
        if os.path.isfile(path):
            candidates = [path]
        elif os.path.isdir(path):
            candidates = _walk(path)
        else:
            missing.append(path)
            continue
        for candidate in candidates:
            shown = os.path.normpath(candidate)
            key = os.path.realpath(candidate)
            if key not in seen:
                seen.add(key)
                files.append(shown)
    return Discovery(tuple(files), tuple(missing))

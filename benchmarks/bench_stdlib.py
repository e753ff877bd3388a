"""Standard-library benchmarks: `json` and `csv` against Python's own modules, in one run.

Run: python benchmarks/bench_stdlib.py [--json-mb 50] [--csv-rows 1000000] [--reps 3]
Goals (issue 10 §5): `json.read` of a 50 MB file within 1.5x of `json.load`; `csv.read` of a
1M-row file within 2x of `list(csv.reader(...))`.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import paired  # noqa: E402

from graphoid import Interpreter  # noqa: E402


def write_json(path: Path, megabytes: int) -> None:
    """Records of mixed values (strings, ints, floats, bools, null, nested lists and maps)."""
    records = []
    size = 0
    i = 0
    while size < megabytes * 1_000_000:
        record = {
            "id": i,
            "name": f"node-{i}",
            "score": i * 0.37,
            "active": i % 3 == 0,
            "tags": ["alpha", "beta", str(i % 17)],
            "props": {"x": i % 101, "y": None, "neighbours": [i + 1, i + 2, i + 3]},
        }
        records.append(record)
        size += len(json.dumps(record)) + 2
        i += 1
    path.write_text(json.dumps({"records": records}), encoding="utf-8")


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["source", "target", "weight", "label"])
        for i in range(rows):
            writer.writerow([f"n{i}", f"n{(i * 7919) % rows}", f"{i % 100 / 7:.4f}", "road" if i % 2 else "rail, paved"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json-mb", type=int, default=50)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        json_path, csv_path = Path(folder) / "data.json", Path(folder) / "data.csv"
        write_json(json_path, args.json_mb)
        write_csv(csv_path, args.csv_rows)
        interp = Interpreter()
        interp.globals["json_path"] = str(json_path)
        interp.globals["csv_path"] = str(csv_path)
        interp.run('import "json"\nimport "csv"')

        def python_json() -> object:
            with json_path.open(encoding="utf-8") as handle:
                return json.load(handle)

        def python_csv() -> object:
            with csv_path.open(encoding="utf-8", newline="") as handle:
                return list(csv.reader(handle))

        def python_csv_maps() -> object:
            with csv_path.open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))

        megabytes = json_path.stat().st_size / 1e6
        results = [
            paired(f"json.read {megabytes:.0f} MB", lambda: interp.run("data = json.read(json_path)"), python_json, args.reps),
            paired(f"csv.read {args.csv_rows} rows", lambda: interp.run("rows = csv.read(csv_path)"), python_csv, args.reps),
            paired(
                f"csv.read header maps {args.csv_rows}",
                lambda: interp.run("rows = csv.read(csv_path, header: true)"),
                python_csv_maps,
                args.reps,
            ),
        ]
        for result in results:
            print(result.line())


if __name__ == "__main__":
    main()

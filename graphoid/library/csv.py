"""`import "csv"`: comma-separated text to rows and back (docs/stdlib.md#csv).

Rows are lists of strings, or maps keyed by the header row with `header: true`; `numbers: true`
turns fields that read as numbers into nums. Python's C `csv` reader does the splitting.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, Iterable

from graphoid.errors import GraphoidError
from graphoid.library.common import expect, io_error, members
from graphoid.library.fs import Files
from graphoid.values.format import display, type_name
from graphoid.values.methods.misc import parse_number
from graphoid.values.types import GList, GMap

if TYPE_CHECKING:
    from graphoid.runtime.interpreter import Interpreter


class Dialect:
    """The delimiter and quote character of one call, checked once."""

    __slots__ = ("delimiter", "quote")

    def __init__(self, delimiter: Any, quote: Any, where: str) -> None:
        self.delimiter = _one_character(delimiter, where, "delimiter")
        self.quote = _one_character(quote, where, "quote")
        if self.delimiter == self.quote or self.delimiter in "\r\n" or self.quote in "\r\n":
            raise GraphoidError("ValueError", f"{where}() needs distinct delimiter and quote characters other than newlines")

    def options(self) -> dict[str, Any]:
        return {"delimiter": self.delimiter, "quotechar": self.quote, "strict": True}


def _one_character(value: Any, where: str, param: str) -> str:
    text = expect(value, "string", where, param)
    if len(text) != 1:
        raise GraphoidError("ValueError", f"{where}() expects {param} to be one character, got '{text}'")
    return text


def parse(text: Any, header: Any = False, delimiter: Any = ",", quote: Any = '"', numbers: Any = False) -> GList:
    """The rows of CSV `text`: lists of fields, or maps keyed by the first row with `header: true`."""
    source = expect(text, "string", "csv.parse", "text")
    return _rows(io.StringIO(source, newline=""), "csv.parse", header, Dialect(delimiter, quote, "csv.parse"), numbers)


def _rows(stream: Iterable[str], where: str, header: Any, dialect: Dialect, numbers: Any) -> GList:
    with_header = expect(header, "bool", where, "header")
    convert = expect(numbers, "bool", where, "numbers")
    reader = csv.reader(stream, **dialect.options())
    try:
        if with_header:
            return _maps(reader, where, convert)
        if convert:
            return GList([GList(map(_field, row)) for row in reader])
        return GList(map(GList, reader))
    except csv.Error as exc:
        raise GraphoidError("ParseError", f"{where}(): invalid CSV at line {reader.line_num}: {exc}") from None


def _maps(reader: Any, where: str, convert: bool) -> GList:
    names = next(reader, None)
    if names is None:
        return GList()
    width = len(names)
    rows = GList()
    append = rows.append
    for row in reader:
        if len(row) != width:
            if not row:  # a blank line
                continue
            raise GraphoidError(
                "ValueError", f"{where}(): line {reader.line_num} has {len(row)} fields, the header has {width}"
            )
        append(GMap(zip(names, map(_field, row) if convert else row)))
    return rows


def _field(text: str) -> Any:
    number = parse_number(text) if text else None
    return text if number is None else number


def stringify(rows: Any, delimiter: Any = ",", quote: Any = '"') -> str:
    """CSV text for a list of rows: lists of fields, or maps (their keys make the header row)."""
    expect(rows, "list", "csv.stringify", "rows")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", **Dialect(delimiter, quote, "csv.stringify").options())
    writer.writerows(_table(rows))
    return out.getvalue()


def _table(rows: GList) -> list[list[str]]:
    """The rows as lists of display strings; a list of maps gets its first map's keys as header."""
    if rows and isinstance(rows[0], dict):
        names = list(rows[0].keys())
        table = [names]
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                raise _mixed(index, row)
            table.append([_text(row.get(name)) for name in names])
        return table
    table = []
    for index, row in enumerate(rows):
        if not isinstance(row, list):
            raise _mixed(index, row)
        table.append([_text(field) for field in row])
    return table


def _mixed(index: int, row: Any) -> GraphoidError:
    return GraphoidError("TypeError", f"csv.stringify() expects every row to be a list (or every row a map), got {type_name(row)} at index {index}")


def _text(field: Any) -> str:
    return "" if field is None else display(field)


def module_members(interp: "Interpreter") -> dict[str, Any]:
    """The members of `import "csv"`; file access goes through `fs`'s checks."""
    files = Files(interp.sandbox, "csv")

    def read(path: Any, header: Any = False, delimiter: Any = ",", quote: Any = '"', numbers: Any = False) -> GList:
        """The rows of a CSV file (options as for csv.parse)."""
        dialect = Dialect(delimiter, quote, "csv.read")
        checked = files.path(path, "read", "read")
        try:
            with open(checked, encoding="utf-8", newline="") as stream:
                return _rows(stream, "csv.read", header, dialect, numbers)
        except (OSError, ValueError) as exc:
            raise io_error(exc, "read", checked) from None

    def write(path: Any, rows: Any, delimiter: Any = ",", quote: Any = '"') -> None:
        """Write rows (as for csv.stringify) to a file."""
        files.write(path, stringify(rows, delimiter, quote))

    return members("csv", {"parse": parse, "stringify": stringify, "read": read, "write": write})

"""CSV forms ServiceStack.Text writes or accepts, each from its own tests or reader source.

Sources (ServiceStack.Text): `src/ServiceStack.Text/CsvReader.cs` (`ParseLines`, `ParseFields`,
`EatValue`, `CsvReader<T>.Read`), `CsvWriter.cs`, and `tests/ServiceStack.Text.Tests/
CsvSerializerTests.cs`.
"""

from __future__ import annotations

import pytest

from evokit.contract.formats import CsvDecodeError, csv
from tests.formats.shapes import typed_shape


@pytest.mark.parametrize(
    "text",
    ["A,B\nC,D", "A,B\nC,D\n", "A,B\nC,D\n\n", "A,B\r\nC,D", "A,B\r\nC,D\r\n", "A,B\r\nC,D\r\n\r\n"],
    ids=repr,
)
def test_blank_trailing_lines_are_no_rows(text: str) -> None:
    """CsvSerializerTests.Does_parse_new_lines: every spelling reads as the two rows."""
    assert csv.parse_rows(text) == [["A", "B"], ["C", "D"]]


def test_quoted_fields_hold_separators_and_line_ends() -> None:
    """CsvSerializerTests.Does_parse_new_lines and Does_parse_fields."""
    assert csv.parse_rows('"A\nB",B\nC,"C\r\nD"') == [["A\nB", "B"], ["C", "C\r\nD"]]
    assert csv.parse_rows('"A"",B"') == [['A",B']]


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("{A,B", ["{A", "B"]),
        ("{A},B", ["{A}", "B"]),
        ("[A,B", ["[A", "B"]),
        ("[A],B", ["[A]", "B"]),
        ("[{A],B", ["[{A]", "B"]),
        ("[A},B", ["[A}", "B"]),
        ("[[A],B", ["[[A]", "B"]),
        ("A],B", ["A]", "B"]),
        ("A},B", ["A}", "B"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_unmatched_jsv_marks(line: str, fields: list[str]) -> None:
    """CsvSerializerTests.Does_parse_fields_with_unmatchedJsMark, case by case."""
    assert csv.parse_rows(line) == [fields]


def test_list_and_object_values_in_an_unquoted_cell() -> None:
    """CsvReader.EatValue reads a `[...]` or `{...}` cell whole, commas inside included."""
    assert csv.parse_rows('1,[a,b],{c:d,e:"f,g"},x') == [["1", "[a,b]", '{c:d,e:"f,g"}', "x"]]
    assert csv.parse_rows("[a,[b,c]]\r\n") == [["[a,[b,c]]"]]


def test_text_after_a_closing_bracket_is_refused() -> None:
    # ParseFields skips the character after a bracketed value as if it were the `,`: `[a]b,c`
    # would read `[a]` and `c`, losing `b`. The kit refuses the text instead.
    with pytest.raises(CsvDecodeError) as caught:
        csv.parse_rows("[a]b,c")
    assert caught.value.offset == 3


def test_an_open_quote_is_refused() -> None:
    # ParseLines runs an open quote to the end and FromCsvField drops the last character.
    with pytest.raises(CsvDecodeError, match="unterminated"):
        csv.parse_rows('id\r\n"abc\r\n')


_SHAPE = typed_shape(
    "Movie",
    ("id", "integer"),
    ("title", "string"),
    ("rating", "number"),
    ("genres", "array"),
    ("meta", "object"),
    ("seen", "boolean"),
)


def test_spaces_around_header_names() -> None:
    """CsvReader<T>.Read: `headers = CsvReader.ParseFields(rows[0], s => s.Trim())`; values keep
    their spaces (NewLineTests.Serializes_adhoc_data writes `I, Like ,Reading`)."""
    assert csv.decode_dto(" Id , Title \r\n1, Like \r\n", _SHAPE) == {"id": 1, "title": " Like "}


def test_blank_lines_after_the_record() -> None:
    """ParseLines skips empty lines; whitespace-only ones after the record hold nothing."""
    assert csv.decode_dto("Id\r\n1\r\n\r\n\r\n", _SHAPE) == {"id": 1}
    assert csv.decode_dto("Id\r\n1\r\n \r\n", _SHAPE) == {"id": 1}


def test_a_second_record_is_refused() -> None:
    # CsvReader<T>.ReadRow keeps the first record and drops the rest; the kit says so instead.
    with pytest.raises(CsvDecodeError, match="found 3 row"):
        csv.decode_dto("Id\r\n1\r\n2\r\n", _SHAPE)


def test_list_values_in_a_cell_read_as_lists() -> None:
    """CsvSerializerTests.Can_Deserialize_into_String_Dictionary: `Genres` is `movie.Genres.ToJsv()`
    in its cell; a `List<string>` member reads it back with JsvReader, quoted or not."""
    assert csv.decode_dto('Id,Genres\r\n1,"[Drama,Crime]"\r\n', _SHAPE) == {"id": 1, "genres": ["Drama", "Crime"]}
    assert csv.decode_dto("Id,Genres,Meta\r\n1,[Drama,Crime],{a:b}\r\n", _SHAPE) == {
        "id": 1,
        "genres": ["Drama", "Crime"],
        "meta": {"a": "b"},
    }


@pytest.mark.parametrize(
    ("cell", "number"),
    [("1", 1), ("1.0", 1.0), ("1E-05", 1e-05), ("1e-05", 1e-05), ("-1.5E+20", -1.5e20), ("8.5", 8.5)],
)
def test_number_cells_read_every_dotnet_form(cell: str, number: float) -> None:
    """CsvSerializerTests.Can_Deserialize_into_String_Dictionary: `Rating` is written as
    `movie.Rating.ToString(CultureInfo.InvariantCulture)`."""
    assert csv.decode_dto(f"Rating\r\n{cell}\r\n", _SHAPE) == {"rating": number}


def test_typed_cells_round_trip_through_the_dotnet_text() -> None:
    value = {"id": 7, "rating": 1e-05, "genres": ["a", "b"], "seen": False, "title": "x"}
    body = csv.encode_dto(value, _SHAPE)
    assert body.split(b"\r\n")[1] == b'7,x,1E-05,"[a,b]",,False'
    assert csv.decode_dto(body, _SHAPE) == value

"""Numbers and booleans as .NET writes and reads them (contract.formats.scalars)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evokit.contract.formats import scalars

from .strategies import fast

# (value, .NET's `double.ToString(CultureInfo.InvariantCulture)`), each from ServiceStack.Text's
# own tests or the general format's rule (`Number.Formatting.FormatGeneral`).
DOUBLES = [
    # JsonTests/CustomSerializerTests.cs, Can_serialize_custom_doubles: `[0,1,...]` for 0.0 and 1.0.
    (0.0, "0"),
    (1.0, "1"),
    # JsvTests/JsvBasicDataTests.cs, Can_serialize_ModelWithFloatTypes: `Double:2.2`, `2222222.22`.
    (2.2, "2.2"),
    (2222222.22, "2222222.22"),
    # CultureInfoTests.cs, Serializes_doubles_using_InvariantCulture: "66121.202".
    (66121.202, "66121.202"),
    # CultureInfoTests.cs, Serializes_long_double_without_E_notation: 16 digits stay fixed.
    (1234567890123456.0, "1234567890123456"),
    # The exponent: upper-case E, a sign, at least two digits.
    (1e-05, "1E-05"),
    (1.5e20, "1.5E+20"),
    (-1.5e20, "-1.5E+20"),
    (1e15, "1E+15"),
    (1e14, "100000000000000"),
    (0.0001, "0.0001"),
    (5e-324, "5E-324"),
    # JsonTypeSerializer.WriteDouble writes double.MaxValue with "r": the same text.
    (1.7976931348623157e308, "1.7976931348623157E+308"),
    (-60.0, "-60"),
    (0.1 + 0.2, "0.30000000000000004"),
    (-0.0, "-0"),
    (math.nan, "NaN"),
    (math.inf, "Infinity"),
    (-math.inf, "-Infinity"),
]


@pytest.mark.parametrize(("value", "text"), DOUBLES, ids=[text for _, text in DOUBLES])
def test_format_double_writes_what_dotnet_writes(value: float, text: str) -> None:
    assert scalars.format_double(value) == text


def test_format_number_writes_ints_as_long_does() -> None:
    assert scalars.format_number(12) == "12"
    assert scalars.format_number(-(2**63)) == "-9223372036854775808"
    assert scalars.format_number(12.0) == "12"


# `double.Parse(text, NumberStyles.Float | NumberStyles.AllowThousands, InvariantCulture)`, the
# reader of DefaultMemory.ParseDouble: what .NET writes, and what it accepts besides.
NUMBERS = [
    ("1", 1),
    ("1.0", 1.0),
    ("1E-05", 1e-05),
    ("1e-05", 1e-05),
    ("-1.5E+20", -1.5e20),
    ("1.5E20", 1.5e20),
    (" 42 ", 42),  # AllowLeadingWhite | AllowTrailingWhite
    ("+7", 7),  # AllowLeadingSign
    ("1,000.5", 1000.5),  # AllowThousands
    (".5", 0.5),
    ("5.", 5.0),
    ("-0", 0),
]


@pytest.mark.parametrize(("text", "number"), NUMBERS, ids=[text for text, _ in NUMBERS])
def test_read_number_accepts_the_dotnet_forms(text: str, number: float) -> None:
    read = scalars.read_number(text)
    assert read == number and type(read) is type(number)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "nan"])
def test_read_number_accepts_the_invariant_culture_symbols(text: str) -> None:
    read = scalars.read_number(text)
    assert isinstance(read, float) and not math.isfinite(read)


@pytest.mark.parametrize("text", ["", "abc", "1e", "1.2.3", "0x10", "1_000", "--1", "E5"])
def test_read_number_refuses_what_is_not_a_number(text: str) -> None:
    assert scalars.read_number(text) is None


def test_read_integer_and_boolean() -> None:
    assert scalars.read_integer(" -12 ") == -12
    assert scalars.read_integer("1.0") is None  # long.Parse takes no decimal point
    # DefaultMemory.TryParseBoolean: bool.TrueString/FalseString in any case, nothing trimmed.
    assert [scalars.read_boolean(t) for t in ("True", "false", "TRUE", " true", "1")] == [True, False, True, None, None]


@pytest.mark.parametrize(
    ("text", "kind", "read"),
    [
        ("1E-05", "number", 1e-05),
        ("1", "number", 1),
        ("7", "integer", 7),
        ("True", "boolean", True),
        ("abc", "number", "abc"),  # left as text: the schema check names it
        ("1", "string", "1"),
        ("1", None, "1"),
    ],
)
def test_read_as_reads_typed_members_only(text: str, kind: str | None, read: object) -> None:
    assert scalars.read_as(text, kind) == read


@fast
@given(st.floats(allow_nan=False))
def test_every_double_reads_back_from_its_dotnet_text(value: float) -> None:
    assert scalars.read_number(scalars.format_double(value)) == value


@fast
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_dotnet_text_has_python_s_shortest_digits(value: float) -> None:
    # Both runtimes write the shortest digits that read back; only the layout differs.
    text = scalars.format_double(value)
    assert float(text) == value
    assert len(text.lstrip("-").replace(".", "").split("E")[0].strip("0")) <= 17

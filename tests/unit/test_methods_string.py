"""String methods, symbol pattern methods, regex-aware methods and string.generate."""

from __future__ import annotations

import pytest

from graphoid.errors import GraphoidError
from graphoid.values.methods import call_bang, call_method
from graphoid.values.methods.string import generate
from graphoid.values.types import GList, Regex, Symbol


def m(receiver, name, *args):
    return call_method(receiver, name, args)


def S(name):
    return Symbol(name)


def kind_of(fn, *args):
    with pytest.raises(GraphoidError) as info:
        fn(*args)
    return info.value.kind


def test_basic_methods():
    assert m("héllo", "length") == 5
    assert m("abc", "upper") == "ABC" and m("ABC", "lower") == "abc"
    assert m("  x  ", "trim") == "x"
    assert m("abc", "reverse") == "cba"
    assert m("abc", "first") == "a" and m("abc", "last") == "c"
    assert m("", "first") is None and m("", "last") is None
    assert m("", "is_empty") and not m("a", "is_empty")
    assert m("hello", "starts_with", "he") and m("hello", "ends_with", "lo")
    assert m("hello", "index_of", "l") == 2 and m("hello", "index_of", "z") == -1
    assert m("ab", "repeat", 3) == "ababab"
    assert m("a\nb", "lines") == ["a", "b"]
    assert m("ab", "chars") == ["a", "b"]
    assert kind_of(m, "abc", "starts_with", 1) == "TypeError"


def test_substring_and_slice_clamp():
    assert m("hello", "substring", 1, 3) == "el"
    assert m("hello", "substring", 3, 100) == "lo"
    assert m("hello", "substring", 4, 2) == ""
    assert m("hello", "substring", -3, 2) == "he"
    assert m("hello", "slice", -3, 5) == "llo"
    assert m("hello", "slice", 1, -1) == "ell"


def test_split_variants():
    assert m("a,b,,c", "split", ",") == ["a", "b", "", "c"]
    assert m("ab", "split", "") == ["", "a", "b", ""]
    assert m("a  b\tc", "split") == ["a", "b", "c"]
    assert m("a1b22c", "split", Regex(r"\d+")) == ["a", "b", "c"]
    assert m("a1b2c", "split", Regex(r"(\d)")) == ["a", "b", "c"]
    assert type(m("a,b", "split", ",")) is GList


def test_contains_modes():
    assert m("hello", "contains", "ell") and not m("hello", "contains", "xyz")
    assert m("abc123", "contains", S("any"), S("digits"))
    assert not m("abc", "contains", S("any"), S("digits"))
    assert m("abc123", "contains", S("all"), S("letters"), S("digits"))
    assert not m("abc", "contains", S("all"), S("letters"), S("digits"))
    assert m("abc", "contains", S("only"), S("letters"))
    assert not m("abc1", "contains", S("only"), S("letters"))
    assert m("", "contains", S("only"), S("letters"))
    assert m("Hi there!", "contains", S("any"), S("punctuation"))
    assert m("a b", "contains", S("any"), S("spaces"))
    assert m("ABC", "contains", S("only"), S("uppercase"))
    assert m("a#", "contains", S("any"), S("symbols"))
    assert m("x", "contains", Regex("[a-z]"))
    assert kind_of(m, "x", "contains", S("some"), S("letters")) == "RuntimeError"
    assert kind_of(m, "x", "contains", S("any")) == "RuntimeError"
    assert kind_of(m, "x", "contains", 1) == "TypeError"


def test_extract_count_find():
    text = "Call 555 or 12, email bob@example.com or ann@x.org."
    assert m(text, "extract", S("numbers")) == ["555", "12"]
    assert m(text, "extract", S("digits")) == ["555", "12"]
    assert m("hello world 42", "extract", S("words")) == ["hello", "world"]
    assert m(text, "extract", S("emails")) == ["bob@example.com", "ann@x.org"]
    assert m("AbCD e", "extract", S("uppercase")) == ["A", "CD"]
    assert m("a1b22", "count", S("digits")) == 3
    assert m("one two  three", "count", S("words")) == 3
    assert m(text, "count", S("emails")) == 2
    assert m("Hello World", "count", S("uppercase")) == 2
    assert m("a1b2", "find", S("digits")) == [1, 3]
    assert m("a1b2", "find", S("digits"), S("first")) == 1
    assert m("ab", "find", S("digits"), S("first")) == -1
    assert m("1a2b3", "find", S("digits"), 2) == [0, 2]
    assert m("1a2", "find", S("digits"), float("inf")) == [0, 2]
    assert m("abc", "extract", S("unknown_class")) == []
    # Numeric classes follow Unicode categories N*, not "has a numeric value".
    assert m("½٣x一", "extract", S("digits")) == ["½٣"]
    assert kind_of(m, "abc", "extract", "words") == "TypeError"
    assert kind_of(m, "abc", "find", S("digits"), "x") == "RuntimeError"


def test_regex_methods():
    assert m("a1b22", "find_all", Regex(r"\d+")) == ["1", "22"]
    assert m("aXbX", "find_all", "X") == ["X", "X"]
    assert m("Hello", "matches", Regex("^h", "i"))
    assert not m("Hello", "matches", Regex("^h"))
    assert m("Hello", "matches", "l+")
    assert m("2024-05", "match", Regex(r"(\d+)-(\d+)")) == ["2024-05", "2024", "05"]
    assert m("x", "match", Regex(r"\d")) is None
    assert m("a-b-c", "replace", "-", "+") == "a+b+c"
    assert m("a1b22", "replace", Regex(r"\d+"), "#") == "a#b#"
    assert m("john smith", "replace", Regex(r"(\w+) (\w+)"), "$2, $1") == "smith, john"
    assert m("ab", "replace", Regex(r"(?P<x>a)"), "[${x}]$$") == "[a]$b"
    assert m("a1b2", "count", Regex(r"\d")) == 2
    assert m("aaa", "count", "a") == 3
    assert kind_of(m, "a", "matches", "(") == "ValueError"
    assert kind_of(m, "a", "matches", 3) == "TypeError"


def test_char_codes_and_bytes():
    assert m("A", "char_code", 0) == 65
    assert m("é", "to_bytes") == [195, 169]
    assert kind_of(m, "A", "char_code", 1) == "IndexError"


def test_higher_order():
    assert m("abc", "map", lambda c: c.upper()) == ["A", "B", "C"]
    assert m("a1b2", "filter", lambda c: c.isdigit()) == "12"
    assert m("a1b2", "reject", lambda c: c.isdigit()) == "ab"
    seen = []
    assert m("ab", "each", seen.append) is None and seen == ["a", "b"]
    assert m("7", "pad_left", 3, "0") == "007" and m("7", "pad_right", 2) == "7 "
    assert kind_of(m, "7", "pad_left", 10**30) == "ValueError"
    assert kind_of(m, "ab", "repeat", 10**30) == "ValueError"


def test_bang_string_methods_rebind():
    assert call_bang("abc", "upper", (), None, True) == ("ABC", None)
    assert call_bang("  a ", "trim", (), None, False) == ("a", None)
    assert call_bang("abc", "reverse", (), None, True) == ("cba", None)


def test_string_generate_modes():
    assert generate("ab", 3) == "ababab"
    assert generate("x", 0) == ""
    assert generate("a", "e") == "abcde"
    assert generate("e", "a") == "edcba"
    assert kind_of(generate, "ab", "c") == "RuntimeError"
    assert kind_of(generate, "a", -1) == "RuntimeError"
    assert kind_of(generate, "a", None) == "TypeError"

"""text_patterns spells out string.punctuation instead of importing `string` at start-up."""

from __future__ import annotations

import string

from graphoid.values.methods import text_patterns


def test_punctuation_constant_is_pythons():
    assert text_patterns.ASCII_PUNCTUATION_TEXT == string.punctuation
    assert text_patterns._ASCII_PUNCTUATION == frozenset(string.punctuation)


def test_emails_strip_every_trailing_punctuation_mark():
    words = [f"ann@x.org{mark}" for mark in string.punctuation]
    assert text_patterns.emails(" ".join(words)) == ["ann@x.org"] * len(words)
    assert text_patterns.emails("no-at-sign. bob@example.com),") == ["bob@example.com"]

"""Search: FTS5 trigram for 3+ characters (any script), escaped LIKE for shorter queries."""

from __future__ import annotations

import pytest

from lanchat.core.history.search import like_pattern, search_sql

TEXTS = [
    "Hello World, see you at the library",
    "这是一个中文测试消息",
    "100% sure",
    "snake_case and 50_000",
    "back\\slash",
    "plain words",
]


@pytest.fixture
def filled(store, h):
    for text in TEXTS:
        store.save_incoming(h.incoming(h.ANA, text))
    store.save_incoming(h.incoming(h.BEN, "Hello from Ben"))
    store.flush()
    return store


def texts(records):
    return [r.text for r in records]


def test_fts_finds_english_substrings_case_insensitively(filled, h):
    assert texts(filled.search("ello wor")) == [TEXTS[0]]
    assert texts(filled.search("LIBRAR")) == [TEXTS[0]]
    assert texts(filled.search("hello")) == ["Hello from Ben", TEXTS[0]]  # newest first
    assert texts(filled.search("hello", chat=h.ANA)) == [TEXTS[0]]
    assert filled.search("absent words") == []


def test_fts_finds_chinese_substrings(filled):
    assert texts(filled.search("文测试")) == [TEXTS[1]]
    assert texts(filled.search("中文测试")) == [TEXTS[1]]
    assert filled.search("测试中") == []


def test_queries_of_three_or_more_chars_use_fts_shorter_ones_like():
    assert "MATCH" in search_sql("abc", None)[0]
    assert "MATCH" in search_sql("文测试", None)[0]
    assert "LIKE" in search_sql("ab", None)[0]
    assert "LIKE" in search_sql("测试", "x")[0]


def test_short_queries_find_substrings_with_like(filled):
    assert texts(filled.search("测试")) == [TEXTS[1]]
    assert texts(filled.search("wo")) == ["plain words", TEXTS[0]]
    assert texts(filled.search("wo", chat="b" * 64)) == []


def test_like_wildcards_and_the_escape_character_are_literal(filled):
    assert texts(filled.search("%")) == [TEXTS[2]]
    assert texts(filled.search("_")) == [TEXTS[3]]
    assert texts(filled.search("0_")) == [TEXTS[3]]
    assert texts(filled.search("\\")) == [TEXTS[4]]
    assert like_pattern("a%b_c\\") == "%a\\%b\\_c\\\\%"


def test_fts_query_syntax_is_taken_literally(filled, h):
    assert texts(filled.search('0% "sure')) == []
    assert texts(filled.search("% s")) == [TEXTS[2]]
    assert texts(filled.search("AND")) == [TEXTS[3]]
    assert texts(filled.search("NEAR(")) == []


def test_search_follows_deletes_and_ignores_empty_queries(filled, h):
    filled.delete_chat(h.ANA)
    filled.flush()
    (left,) = filled.search("ello")
    assert left.sender == h.BEN
    assert filled.search("中文") == []
    assert filled.search("   ") == [] and filled.search("ello", limit=0) == []

"""Paging a chat: newest page first, then older ones, by an index range (O(page))."""

from __future__ import annotations

import sqlite3

from lanchat.core.history.queries import MAX_ROW_ID, PAGE_SQL


def test_page_returns_the_newest_200_then_older_ones(store, h):
    for i in range(450):
        store.save_incoming(h.incoming(h.ANA, f"ana {i}"))
        if i % 3 == 0:
            store.save_incoming(h.incoming(h.BEN, f"ben {i}"))
    store.flush(timeout=20)

    newest = store.page(h.ANA)
    assert [m.text for m in newest] == [f"ana {i}" for i in range(250, 450)]  # oldest first
    older = store.page(h.ANA, before=newest[0].row_id)
    assert [m.text for m in older] == [f"ana {i}" for i in range(50, 250)]
    oldest = store.page(h.ANA, before=older[0].row_id)
    assert [m.text for m in oldest] == [f"ana {i}" for i in range(50)]
    assert store.page(h.ANA, before=oldest[0].row_id) == []
    assert len(store.page(h.BEN, limit=10)) == 10
    assert store.page("0" * 64) == []


def test_page_query_plan_searches_an_index_without_scanning_messages(store, h, db_path):
    for i in range(50):
        store.save_incoming(h.incoming(h.ANA if i % 2 else h.BEN, f"m{i}"))
    store.flush()
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("ANALYZE")  # let the planner see real statistics too
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + PAGE_SQL, (h.ANA, MAX_ROW_ID, 200))]
    finally:
        conn.close()
    assert any("SEARCH messages USING" in step and "messages_chat" in step for step in plan), plan
    assert not any(step.startswith("SCAN messages") for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan

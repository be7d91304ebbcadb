"""Every cost of a request is bounded (docs/datasette.md, "Limits"): value length, result size,
response size, Python SQL function time; and fts3_tokenizer() cannot be called.

Requests that would cost hundreds of MB without the limits are sent to a real ``vnnews serve``
subprocess whose memory is read from /proc; none of them asks for more than ~80 MB, so a server
without the limits stays well clear of exhausting the machine.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from vnnews.web.plugin import responses
from vnnews.web.plugin.limits import RESULT_MAX_BYTES, SQLITE_HEAP_MAX_BYTES, VALUE_MAX_BYTES
from vnnews.web.plugin.sql_functions import DIFF_ROUGH_NOTE, FOLD_MAX_CHARS

MIB = 1024 * 1024


def sql_json(get, sql: str) -> tuple[int, Any]:
    response = get("/news.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"}))
    return response.status_code, response.json()


def n_rows(count: int, select: str) -> str:
    return (
        f"with recursive n(i) as (select 1 union all select i + 1 from n where i < {count}) {select} from n"
    )


FTS3_TOKENIZER_CALLS = ["fts3_tokenizer('simple')", "fts3_tokenizer('simple', x'0000000000000000')"]


def memory_datasette() -> Any:
    """A Datasette with only its in-memory database: the plugin reaches every connection it opens."""
    from datasette.app import Datasette

    from vnnews.web.app import register_plugin

    register_plugin()
    datasette = Datasette(memory=True)
    asyncio.run(datasette.invoke_startup())
    return datasette


@pytest.mark.parametrize("call", FTS3_TOKENIZER_CALLS)
def test_fts3_tokenizer_is_disabled_in_both_forms(get, call):
    status, data = sql_json(get, f"select hex({call}) as p")
    assert status == 400, data
    assert "not authorized to use function: fts3_tokenizer" in data["error"]


@pytest.mark.parametrize("call", FTS3_TOKENIZER_CALLS)
def test_fts3_tokenizer_is_disabled_on_the_memory_database_too(call):
    datasette = memory_datasette()
    query = urllib.parse.urlencode({"sql": f"select {call}"})
    response = asyncio.run(datasette.client.get(f"/_memory.json?{query}"))
    assert response.status_code == 400 and "fts3_tokenizer" in response.json()["error"]


def test_other_functions_still_work(get):
    status, rows = sql_json(get, "select length(hex(zeroblob(1000))) as n, upper('abc') as u")
    assert status == 200 and rows == [{"n": 2000, "u": "ABC"}]


def test_a_value_over_the_length_limit_is_refused_and_named(get):
    # 40 MB of hex: SQLite refuses to build it (it checks the length before allocating).
    status, data = sql_json(get, f"select hex(zeroblob({VALUE_MAX_BYTES // 2 + 4 * MIB})) as x")
    assert status == 400
    assert "string or blob too big" in data["error"] and "VALUE_MAX_BYTES" in data["error"]
    assert "32 MiB" in data["error"]


def test_the_html_page_names_the_limit_too(get):
    page = get("/news?" + urllib.parse.urlencode({"sql": f"select zeroblob({VALUE_MAX_BYTES + 1})"}))
    assert page.status_code == 400 and "VALUE_MAX_BYTES" in page.text


def test_a_result_over_the_budget_is_refused_and_named(get):
    # Rows of 4 MB each: the budget stops the fetch after ~8 of the 12.
    status, data = sql_json(get, n_rows(12, f"select hex(zeroblob({2 * MIB})) as x"))
    assert status == 400
    assert "RESULT_MAX_BYTES" in data["error"] and "32 MiB" in data["error"]


def test_text_counts_in_utf8_bytes(get):
    # 4 x 3 million 'ệ' = 12 M characters but 36 MB of UTF-8: over the 32 MiB budget.
    status, data = sql_json(get, n_rows(4, "select replace(hex(zeroblob(1500000)), '0', 'ệ') as x"))
    assert status == 400 and "RESULT_MAX_BYTES" in data["error"]


def test_a_wide_row_is_stopped_part_way(get):
    # One row of 12 columns of 4 MB of text: the budget counts each value as it is decoded.
    columns = ", ".join(["x"] * 12)
    status, data = sql_json(get, f"select {columns} from (select hex(zeroblob({2 * MIB})) as x)")
    assert status == 400 and "RESULT_MAX_BYTES" in data["error"]


def test_a_response_over_the_cap_is_refused_and_named(get, monkeypatch):
    monkeypatch.setattr(responses, "RESPONSE_MAX_BYTES", 20_000)
    page = get("/news/articles")
    assert page.status_code == 400
    assert "RESPONSE_MAX_BYTES" in page.text and page.headers["content-type"].startswith("text/plain")
    api = get("/news/articles.json")
    assert api.status_code == 400 and "RESPONSE_MAX_BYTES" in api.json()["error"]
    # Small answers and streamed CSV pass.
    assert get("/news/runs.json?_size=1").status_code == 200
    assert get("/news/articles.csv?_stream=on&_size=max").status_code == 200


def test_streamed_csv_of_every_row_still_works(get):
    rows = get("/news/articles.csv?_stream=on&_size=max").text.splitlines()
    count = get("/news/articles.json?_size=1").json()["filtered_table_rows_count"]
    assert rows[0].startswith("id,") and count > 0


def test_vn_diff_of_huge_inputs_answers_within_the_time_limit(get):
    # 4,000 one-letter paragraphs a side in a scrambled order: difflib alone took ~6 s here.
    side = "select group_concat(iif((i * i * {a}) % {b} < {c}, 'x', 'y'), char(10, 10)) from n"
    texts = (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 4000) "
        f"select ({side.format(a=31, b=7, c=3)}) as old, ({side.format(a=17, b=11, c=5)}) as new"
    )
    started = time.monotonic()
    status, rows = sql_json(get, f"with t as ({texts}) select vn_diff(old, new, 'old') as d from t")
    assert time.monotonic() - started < 2.0
    assert status == 200 and rows[0]["d"].startswith(DIFF_ROUGH_NOTE)


def test_vn_snippet_of_a_huge_text_is_fast(get):
    started = time.monotonic()
    status, rows = sql_json(get, "select vn_snippet(hex(zeroblob(8000000)) || ' Nghệ An', 'nghe an') as s")
    assert time.monotonic() - started < 2.0
    assert status == 200 and rows[0]["s"].startswith("000") and rows[0]["s"].endswith("…")


# Datasette turns on sqlite3 callback tracebacks, so the refused call is also printed on stderr.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_vn_fold_refuses_a_value_over_its_limit_and_names_it(get):
    status, rows = sql_json(get, f"select length(vn_fold(hex(zeroblob({FOLD_MAX_CHARS // 2})))) as n")
    assert status == 200 and rows == [{"n": FOLD_MAX_CHARS}]
    status, data = sql_json(get, f"select vn_fold(hex(zeroblob({FOLD_MAX_CHARS // 2 + 1})))")
    assert status == 400 and "FOLD_MAX_CHARS" in data["error"]


# --- a real server process -----------------------------------------------------------------------


def memory_mb(pid: int) -> dict[str, int]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) // 1024
    return fields


def fetch(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
def test_big_values_do_not_grow_server_memory(server):
    pid = server.process.pid
    fetch(f"{server.base_url}/news.json?sql=select+1")
    before = memory_mb(pid)["VmHWM"]
    # The 2 GB hex(zeroblob(...)) at 1/25 the size: 80 MB, four times the value limit; and
    # 20 rows of 3 MB, twice the result budget.
    for sql in (
        "select hex(zeroblob(40000000)) as x",
        n_rows(20, f"select hex(zeroblob({3 * MIB // 2})) as x"),
    ):
        started = time.monotonic()
        status, body = fetch(
            f"{server.base_url}/news.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})
        )
        assert status == 400 and time.monotonic() - started < 10
        assert b"MAX_BYTES" in body
    grown = memory_mb(pid)["VmHWM"] - before
    # Without the limits the first request alone took ~400 MB; the budget lets ~32 MB through.
    assert grown < RESULT_MAX_BYTES // MIB * 4, f"peak memory grew by {grown} MB"


@pytest.mark.slow
def test_a_row_of_many_blobs_stops_at_the_sqlite_heap_limit(server):
    pid = server.process.pid
    before = memory_mb(pid)["VmHWM"]
    # 10 blobs of 20 MB, built by SQLite before Python sees the row: 200 MB over the 128 MiB heap.
    blobs = ", ".join(f"zeroblob(20000000) as b{n}" for n in range(10))
    status, body = fetch(f"{server.base_url}/news.json?" + urllib.parse.urlencode({"sql": f"select {blobs}"}))
    assert status == 400 and "SQLITE_HEAP_MAX_BYTES" in json.loads(body)["error"]
    grown = memory_mb(pid)["VmHWM"] - before
    assert grown < SQLITE_HEAP_MAX_BYTES // MIB + 50, f"peak memory grew by {grown} MB"
    # The server goes on answering.
    assert fetch(f"{server.base_url}/news/runs.json")[0] == 200


@pytest.mark.slow
def test_parallel_vn_diff_calls_do_not_block_the_server(server):
    side = "select group_concat(iif((i * i * {a}) % {b} < {c}, 'x', 'y'), char(10, 10)) from n"
    sql = (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 6000) "
        f"select vn_diff(({side.format(a=31, b=7, c=3)}), ({side.format(a=17, b=11, c=5)}), 'new') as d"
    )
    url = f"{server.base_url}/news.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})
    results: list[int] = []
    started = time.monotonic()
    threads = [threading.Thread(target=lambda: results.append(fetch(url)[0])) for _ in range(3)]
    for thread in threads:
        thread.start()
    status, body = fetch(f"{server.base_url}/news/runs.json?_shape=array", timeout=20)
    other_done = time.monotonic() - started
    for thread in threads:
        thread.join(timeout=30)
    assert status == 200 and json.loads(body)
    assert results == [200, 200, 200]
    # Without the bound the three diffs took 33 s and the other request waited behind them.
    assert other_done < 5 and time.monotonic() - started < 10

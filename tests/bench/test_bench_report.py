"""`make bench`'s report: wrk's numbers become one table and one JSON file."""

import json

from bench import run

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/healthz
  2 threads and 16 connections
Requests/sec:   4000.00
WRK_JSON {"requests": 20000, "duration_us": 5000000, "bytes": 1, "connect_errors": 0, "read_errors": 0, \
"write_errors": 0, "status_errors": 0, "timeouts": 0, "p50_us": 3500, "p90_us": 6000, "p99_us": 9000, \
"max_us": 20000, "mean_us": 3900.5}
"""


def wrk_numbers(requests, p50_us=3500, p99_us=9000, status_errors=0, timeouts=0, statuses=None):
    return {"statuses": statuses or {"200": requests - status_errors},
            "requests": requests, "duration_us": 5_000_000, "bytes": 1, "connect_errors": 0, "read_errors": 0,
            "write_errors": 0, "status_errors": status_errors, "timeouts": timeouts, "p50_us": p50_us,
            "p90_us": p99_us, "p99_us": p99_us, "max_us": p99_us, "mean_us": p50_us}


def rows():
    return run.add_ratios([
        run.summarise("healthz", "GET", "/healthz", wrk_numbers(20000)),
        run.summarise("top weekly", "GET", "/top/weekly/", wrk_numbers(5000, 12000, 45000, status_errors=3,
                                                                         timeouts=1,
                                                                         statuses={"200": 4996, "429": 3})),
        {"name": "search", "method": "GET", "path": "/search/?q=midnight", "status": "missing",
         "note": "404: route not on this branch yet"},
    ])


def test_it_reads_the_numbers_from_wrks_json_line():
    numbers = run.parse_wrk_output(WRK_OUTPUT)
    assert numbers["requests"] == 20000 and numbers["p99_us"] == 9000
    assert run.parse_wrk_output("wrk: connection refused") is None


def test_a_row_has_requests_per_second_milliseconds_errors_and_the_ratio_to_healthz():
    healthz, top, search = rows()
    assert (healthz["rps"], healthz["p50_ms"], healthz["p99_ms"], healthz["ratio"]) == (4000.0, 3.5, 9.0, 1.0)
    assert (top["rps"], top["p50_ms"], top["p99_ms"]) == (1000.0, 12.0, 45.0)
    assert (top["errors"], top["http_errors"], top["socket_errors"]) == (4, 3, 1)
    assert top["ratio"] == 0.25
    assert search["ratio"] is None


def test_the_table_shows_every_request_and_names_missing_routes():
    meta = {"timestamp": "2026-11-25T21:00:00Z", "machine": {"cpus": 2},
            "data": {"tracks": 20000, "users": 5000, "votes": 200000}, "connections": 16, "threads": 2,
            "duration": 5, "workers": 2}
    table = run.format_table(rows(), meta)
    lines = table.splitlines()
    assert "20,000 tracks, 5,000 users, 200,000 votes" in lines[0] and "wrk -c16" in lines[0]
    assert lines[1].split() == ["request", "req/s", "p50", "ms", "p99", "ms", "errors", "vs", "healthz"]
    assert lines[3].split() == ["GET", "/healthz", "4,000.0", "3.5", "9.0", "0", "1.00"]
    assert lines[4].split() == ["GET", "/top/weekly/", "1,000.0", "12.0", "45.0", "4", "0.25", "(3×429", "probed)"]
    assert lines[5].split()[:3] == ["GET", "/search/?q=midnight", "missing"]
    assert "route not on this branch" in lines[5]


def test_the_json_file_holds_the_run_settings_and_every_row(tmp_path):
    meta = {"timestamp": "2026-11-25T21:00:00Z", "machine": {"cpus": 2}, "data": {"tracks": 1}}
    path = run.save_results(run.result_document(rows(), meta), tmp_path)
    assert path.name == "20261125T210000Z.json"
    saved = json.loads(path.read_text())
    assert saved["data"] == {"tracks": 1}
    assert [r["name"] for r in saved["results"]] == ["healthz", "top weekly", "search"]
    assert saved["results"][1]["ratio"] == 0.25


def test_the_load_leaves_the_bodies_to_wrk_and_the_statuses_to_the_probes():
    # A `response` callback would copy every body into Lua: wrk's CPU, taken from the server it measures.
    script = run.lua_script("GET", "/healthz")
    assert "response = function" not in script and "status_errors" in script
    numbers = {**run.parse_wrk_output(WRK_OUTPUT), "statuses": {"200": 50, "302": 3}}
    row = run.summarise("home", "GET", "/", numbers)
    assert row["statuses"] == {"200": 50, "302": 3}
    assert "3×302 probed" in run.format_table(run.add_ratios([row]))


def test_api_reads_rotate_keys_too():
    script = run.lua_script("GET", "/api/v1/trending", keys=["ams_a", "ams_b"])
    assert '{"ams_a", "ams_b"}' in script and "Bearer" in script


def test_the_vote_script_rotates_keys_and_targets():
    script = run.lua_script("POST", "/api/v1/votes", keys=["ams_a", "ams_b"], targets=[7, 9])
    assert '{"ams_a", "ams_b"}' in script and "{7, 9}" in script
    assert "Bearer" in script and 'wrk.format("POST", "/api/v1/votes"' in script
    assert "WRK_JSON" in run.lua_script("GET", "/healthz")


def test_member_rows_send_a_members_session_cookie_on_their_share_of_requests():
    script = run.lua_script("GET", "<track>", paths=["/tracks/1/a/"], cookies=["sessionid=abc; csrftoken=x"],
                            member_share=0.2)
    assert 'local cookies = {"sessionid=abc; csrftoken=x"}' in script
    assert "if math.random() < 0.2 then" in script and 'headers["Cookie"] = cookies[math.random(#cookies)]' in script
    assert "Cookie" not in run.lua_script("GET", "/", paths=["/"])
    assert {row[0] for row in run.REQUESTS} >= {"home, member", "browse, member", "top weekly, member",
                                                 "track, member", "track, 80/20 mix", "track, 1st, member"}

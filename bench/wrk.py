"""The wrk side of `make bench`: the Lua script each load runs, and reading, tabling and saving its numbers."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


# Every wrk script starts with this: each thread seeds its own random choices. There is no
# `response` callback on purpose: with one, wrk copies every response's headers and body into Lua,
# and on this 2-core machine that copying took a third of a large page's throughput from the server
# it shares the cores with (home, 79 KB: ~1,000 against ~1,550 req/s). wrk still counts every
# answer >= 400 (status_errors); the warm-up probes (bench/run.py) record what each row answers.
LUA_PRELUDE = r"""
local n = 0
setup = function(thread)
  n = n + 1
  thread:set("tid", n)
end
init = function(args)
  math.randomseed(tid * 7919)
end
"""

# ... and ends with this: the numbers as one JSON line, so nothing parses wrk's prose.
LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, '
    .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


def lua_string_list(values):
    return "{" + ", ".join(json.dumps(v) for v in values) + "}"


def lua_cookie(cookies, share):
    """Lua that sets `headers` to a random member's Cookie for `share` of the requests (none otherwise)."""
    if not cookies:
        return "  local headers = {}\n"
    return (f"  local headers = {{}}\n  if math.random() < {share} then\n"
            f"    headers[\"Cookie\"] = cookies[math.random(#cookies)]\n  end\n")


def lua_script(method, path, paths=None, keys=None, targets=None, cookies=None, member_share=1.0, encoding=None):
    """The wrk script for one request: a fixed GET, rotating GET paths, API reads or votes from many keys.

    With `cookies` (each a member's whole Cookie header: session and CSRF cookie), `member_share` of
    the GETs carry one of them, chosen at random: signed-in members, or a mix with visitors. A GET with
    `encoding` asks for it in `Accept-Encoding`, as a browser does.
    """
    members = f"local cookies = {lua_string_list(cookies)}\n" if cookies else ""
    headers = lua_cookie(cookies, member_share)
    if encoding:
        headers += f"  headers[\"Accept-Encoding\"] = {json.dumps(encoding)}\n"
    if method == "POST":
        request = f"""
local keys = {lua_string_list(keys)}
local targets = {{{", ".join(str(t) for t in targets)}}}
request = function()
  local body = string.format('{{"target_id": %d, "target_type": "track", "vote": %d}}',
                             targets[math.random(#targets)], math.random(2) == 1 and 1 or -1)
  local headers = {{["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. keys[math.random(#keys)]}}
  return wrk.format("POST", {json.dumps(path)}, headers, body)
end
"""
    elif keys:
        request = f"""
local keys = {lua_string_list(keys)}
request = function()
  return wrk.format("GET", {json.dumps(path)}, {{["Authorization"] = "Bearer " .. keys[math.random(#keys)]}})
end
"""
    elif paths:
        request = f"""
local paths = {lua_string_list(paths)}
{members}request = function()
{headers}  return wrk.format("GET", paths[math.random(#paths)], headers)
end
"""
    else:
        request = f"""
{members}request = function()
{headers}  return wrk.format({json.dumps(method)}, {json.dumps(path)}, headers)
end
"""
    return LUA_PRELUDE + request + LUA_DONE


def parse_wrk_output(text):
    """The numbers from a wrk run's WRK_JSON line, or None if wrk printed none."""
    for line in text.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON "):])
    return None


def summarise(name, method, label, wrk):
    """One table row from wrk's numbers: req/s, p50/p99 in ms, errors (HTTP >= 400 and socket errors).

    `statuses` are what the row's probes were answered (the warm-up, and a sample after a load that
    had errors), added by bench/run.py: wrk itself only counts answers >= 400.
    """
    seconds = wrk["duration_us"] / 1e6 or 1
    errors = sum(wrk[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "name": name, "method": method, "path": label, "status": "ok",
        "requests": wrk["requests"], "seconds": round(seconds, 2),
        "rps": round(wrk["requests"] / seconds, 1),
        "p50_ms": round(wrk["p50_us"] / 1000, 2), "p90_ms": round(wrk["p90_us"] / 1000, 2),
        "p99_ms": round(wrk["p99_us"] / 1000, 2), "max_ms": round(wrk["max_us"] / 1000, 2),
        "errors": errors, "http_errors": wrk["status_errors"],
        "socket_errors": errors - wrk["status_errors"],
        "statuses": dict(sorted(wrk.get("statuses", {}).items())),
    }


def add_ratios(rows):
    """Each row's throughput as a fraction of /healthz's in the same run (the server's own ceiling)."""
    ceiling = next((r["rps"] for r in rows if r["name"] == "healthz" and r["status"] == "ok"), None)
    for row in rows:
        row["ratio"] = round(row["rps"] / ceiling, 3) if ceiling and row["status"] == "ok" else None
    return rows


def format_table(rows, meta=None):
    """The one table `make bench` prints; missing routes and failed runs say so instead of numbers."""
    lines = []
    if meta:
        data = meta.get("data", {})
        lines.append(
            f"{meta.get('timestamp', '')}  {meta.get('machine', {}).get('cpus', '?')} CPUs  "
            f"{data.get('tracks', 0):,} tracks, {data.get('users', 0):,} users, {data.get('votes', 0):,} votes"
            + (f", {data['similar_lists']:,} similar lists  " if "similar_lists" in data else "  ") +
            f"wrk -c{meta.get('connections')} -t{meta.get('threads')} -d{meta.get('duration')}s  "
            f"gunicorn {meta.get('workers')} workers"
            + (f"  load {meta['machine']['load_before'][0]:.1f}" if meta.get("machine", {}).get("load_before") else "")
        )
    header = f"{'request':<56} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>8} {'vs healthz':>10}"
    lines += [header, "-" * len(header)]
    for row in rows:
        label = f"{row['method']} {row['path']}"
        if len(label) > 56:
            label = label[:53] + "..."
        if row["status"] == "ok":
            ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
            unexpected = ", ".join(f"{count:,}×{status} probed" for status, count in row.get("statuses", {}).items()
                                   if int(status) >= 300)  # a redirect measured is not the page
            lines.append(f"{label:<56} {row['rps']:>9,.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
                         f"{row['errors']:>8,} {ratio:>10}" + (f"  ({unexpected})" if unexpected else ""))
        else:
            lines.append(f"{label:<56} {row['status']:>9}  {row.get('note', '')}")
    return "\n".join(lines)


def result_document(rows, meta):
    """What bench/results/<timestamp>.json holds: the run's settings and machine, then the rows."""
    return {**meta, "results": rows}


def save_results(document, directory=RESULTS):
    directory.mkdir(parents=True, exist_ok=True)
    stamp = document["timestamp"].replace(":", "").replace("-", "")
    path = directory / f"{stamp}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


# --- running it --------------------------------------------------------------------------------------

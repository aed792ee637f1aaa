#!/usr/bin/env python3
"""Turns the hyperfine JSON exports of scripts/bench/run.sh into the markdown report."""
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone


def load(d, name):
    path = os.path.join(d, name + ".json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def fmt(r):
    if not r:
        return "—"
    unit, scale = ("ms", 1000) if r["median"] < 1 else ("s", 1)
    return f"{r['median'] * scale:.{1 if unit == 'ms' else 2}f} {unit} ({r['min'] * scale:.{1 if unit == 'ms' else 2}f}–{r['max'] * scale:.{1 if unit == 'ms' else 2}f})"


def ratio(a, b):
    return f"{b['median'] / a['median']:.1f}×" if a and b else "—"


def main():
    d, out, dbmig_v, peer_v, pg_v, sqlite_v, runs, slow_runs = sys.argv[1:9]
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/ {print $2}'"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(timezone.utc).strftime('%Y-%m-%d')} by `scripts/bench/run.sh` on {os.cpu_count()} cores ({cpu}), {mem} GiB, "
        f"{platform.system()} {platform.release()}; {dbmig_v} (Release build), {peer_v} (Debian's python3-alembic), "
        f"PostgreSQL {pg_v} on loopback (fsync off), SQLite {sqlite_v}. Figures are hyperfine medians with (min–max) over "
        f"{runs} runs ({slow_runs} for the slow workloads), wall-clock time of the whole command including start-up; "
        "the commands of a workload take turns, round by round (each runs once untimed, then once timed), so a "
        "slower or faster spell of the shared machine falls on all of them alike. "
        "The floor is the same SQL run by psql (`psql -1 -f`) or sqlite3 in one transaction: the script "
        "`dbmig upgrade --sql head` prints, which also creates and fills the version table and `dbmig_history`.",
        "",
        "| workload | dbmig | Alembic | floor | Alembic / dbmig | dbmig / floor |",
        "|---|---|---|---|---|---|",
    ]
    def row(label, name, floor=False):
        r = load(d, name)
        db, al, fl = r.get("dbmig"), r.get("alembic"), r.get("floor")
        lines.append(f"| {label} | {fmt(db)} | {fmt(al)} | {fmt(fl)} | {ratio(db, al)} | "
                     f"{(format(db['median'] / fl['median'], '.2f') + '×') if db and fl else '—'} |")
    for cmd in ("current", "heads", "history"):
        row(f"`{cmd}`, 1,000 revision files (SQLite)", f"revisions_{cmd}")
    for dialect in ("postgresql", "sqlite"):
        row(f"autogenerate against an empty database, 1,000 tables × 10 columns, {dialect}", f"autogen_empty_{dialect}")
        row(f"no-op autogenerate at head, 1,000 tables, {dialect}", f"autogen_noop_{dialect}")
    for dialect in ("postgresql", "sqlite"):
        for n in (10, 100, 1000):
            row(f"`upgrade head` creating {n:,} tables, {dialect}", f"upgrade_tables{n}_{dialect}", True)
        row(f"`upgrade head` of a chain of 1,000 add-column revisions, {dialect}", f"upgrade_chain1000_{dialect}", True)
    lines += ["", "Linearity (dbmig only): the same commands with 10× the revision files.", "",
              "| command | 1,000 files | 10,000 files | 10,000 / 1,000 |", "|---|---|---|---|"]
    for cmd in ("heads", "history"):
        r = load(d, f"linear_{cmd}")
        a, b = r.get("1000"), r.get("10000")
        lines.append(f"| `{cmd}` | {fmt(a)} | {fmt(b)} | {ratio(a, b)} |")
    lines += ["", "Peak memory (maximum resident set size):", ""]
    for name, label in (("rss_dbmig_empty_postgresql", "autogenerate of 1,000 tables against an empty database, PostgreSQL"),
                        ("rss_dbmig_postgresql", "no-op autogenerate (`check`) at 1,000 tables, PostgreSQL"),
                        ("rss_dbmig_sqlite", "no-op autogenerate (`check`) at 1,000 tables, SQLite")):
        path = os.path.join(d, name + ".txt")
        if os.path.exists(path):
            with open(path) as f:
                kb = int(f.read().strip().splitlines()[-1])
            lines.append(f"- {label}: {kb / 1024:.1f} MiB")
    # Against the targets of the performance issue.
    lines += ["", "## Against the targets", "", "| target | measured | met |", "|---|---|---|"]
    def target(label, value, ok):
        lines.append(f"| {label} | {value} | {'yes' if ok else 'no'} |")
    for cmd in ("current", "heads", "history"):
        r = load(d, f"revisions_{cmd}")
        if r.get("dbmig") and r.get("alembic"):
            x = r["alembic"]["median"] / r["dbmig"]["median"]
            target(f"`{cmd}` with 1,000 revision files ≥ 50× faster than Alembic", f"{x:.1f}×", x >= 50)
    for dialect in ("postgresql", "sqlite"):
        for kind, label in (("empty", "against an empty database"), ("noop", "no-op at head")):
            r = load(d, f"autogen_{kind}_{dialect}")
            if r.get("dbmig") and r.get("alembic"):
                x = r["alembic"]["median"] / r["dbmig"]["median"]
                target(f"autogenerate {label}, 1,000 tables, {dialect}: ≥ 30× faster than Alembic", f"{x:.1f}×", x >= 30)
    for dialect in ("postgresql", "sqlite"):
        for name, label in ((f"upgrade_tables10_{dialect}", "10 tables"), (f"upgrade_tables100_{dialect}", "100 tables"),
                            (f"upgrade_tables1000_{dialect}", "1,000 tables"), (f"upgrade_chain1000_{dialect}", "1,000-revision chain")):
            r = load(d, name)
            if r.get("dbmig") and r.get("floor"):
                x = r["dbmig"]["median"] / r["floor"]["median"]
                target(f"`upgrade head`, {label}, {dialect}: within 1.15× of the floor", f"{x:.2f}×", x <= 1.15)
    for cmd in ("heads", "history"):
        r = load(d, f"linear_{cmd}")
        if r.get("1000") and r.get("10000"):
            x = r["10000"]["median"] / r["1000"]["median"]
            target(f"`{cmd}`: 10× the files, at most ~10× the time", f"{x:.1f}×", x <= 10.5)
    for name in ("rss_dbmig_empty_postgresql", "rss_dbmig_postgresql", "rss_dbmig_sqlite"):
        path = os.path.join(d, name + ".txt")
        if os.path.exists(path):
            with open(path) as f:
                mib = int(f.read().strip().splitlines()[-1]) / 1024
            target(f"peak RSS of autogenerate at 1,000 tables under 50 MiB ({name.replace('rss_dbmig_', '')})", f"{mib:.1f} MiB", mib < 50)
    lines += ["", "## Reproduce", "", "```sh", "scripts/bench/run.sh            # writes docs/benchmarks.md (about 15 minutes)",
              "scripts/bench/run.sh --quick    # fewer runs", "```", "",
              "`scripts/bench/gen.py` writes the inputs from one spec for both tools: N tables of 10 columns (a unique "
              "column, an indexed one, a foreign key to the first table) as models.yaml and as SQLAlchemy models, and "
              "chains of N add-column revisions as dbmig YAML and Alembic scripts. The untimed "
              "run before each timed one (hyperfine `--warmup 1`, after the same `--prepare`) leaves dbmig's derived "
              "caches (`migrations/.dbmig-cache*`) warm, as Alembic's `__pycache__` is. The PostgreSQL server runs "
              "without autovacuum, and before each upgrade run the schema is dropped and recreated and a "
              "`CHECKPOINT` runs, so no run pays for cleaning up after another.", ""]
    with open(out, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()

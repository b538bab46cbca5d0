"""The whole benchmark set at district scale in one command, with the summary table at the end.

    uv run python -m bench.run_all [--scale district] [--quick]

Generates the scale's data afresh, then runs each benchmark as its own process (so one
benchmark's imports and pools do not flatter the next), prints each one's output as it
comes, and at the end one table: each benchmark's verdict lines (the lines that name a target)
and how long it took. `--quick` uses fewer requests and a one-minute soak, for a smoke run.
The machine's load average is printed before and after: figures taken on a busy machine
are lower bounds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

TARGET_WORDS = ("target", "ratio", "met", "missed")


def steps(scale: str, quick: bool) -> list[tuple[str, list[str]]]:
    few = quick
    return [
        ("generate", ["bench.generate", "--scale", scale]),
        ("1 referral list", ["bench.referrals_list", "--scale", scale,
                             *(["--requests", "300", "--rounds", "1"] if few else [])]),
        ("2 HTML pages", ["bench.dashboard_page", "--scale", scale,
                          *(["--requests", "200", "--rounds", "1"] if few else [])]),
        ("3 create referral", ["bench.referral_create", "--scale", scale,
                               *(["--creates", "100"] if few else [])]),
        ("3b partner accept", ["bench.link_accept", "--scale", scale,
                               *(["--accepts", "50", "--rounds", "1"] if few else [])]),
        ("4 mail", ["bench.mail_dispatch", "--scale", scale,
                    *(["--emails", "300", "--rounds", "1"] if few else [])]),
        ("4 mail STARTTLS", ["bench.mail_dispatch", "--scale", scale, "--starttls",
                             *(["--emails", "300", "--rounds", "1"] if few else [])]),
        ("5 monthly report", ["bench.monthly_report", "--scale", scale,
                              *(["--rounds", "2"] if few else [])]),
        ("7 soak", ["bench.soak", "--scale", scale,
                    *(["--requests", "300", "--half-seconds", "5", "--minutes", "1"] if few
                      else ["--minutes", "3"])]),
        ("8 startup", ["bench.startup", "--scale", scale, *(["--runs", "2"] if few else [])]),
        # last: it replaces the reminders table (national-sized pending set)
        ("6 reminder tick", ["bench.reminder_tick"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="district")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    summary: list[tuple[str, float, int, list[str]]] = []
    begun = time.perf_counter()
    for name, module in steps(args.scale, args.quick):
        print(f"\n=== {name}: python -m {' '.join(module)}", flush=True)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", *module], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip())
        code = process.wait()
        verdicts = [line for line in lines if any(word in line for word in TARGET_WORDS)]
        summary.append((name, time.perf_counter() - started, code, verdicts))
    print(f"\nload average after: {os.getloadavg()}; total"
          f" {time.perf_counter() - begun:.0f} s\n")
    print(f"{'benchmark':20} {'time':>6}  verdict")
    for name, seconds, code, verdicts in summary:
        shown = verdicts or ([f"exit code {code}"] if code else ["(figures above)"])
        print(f"{name:20} {seconds:5.0f}s  {shown[0]}")
        for line in shown[1:]:
            print(f"{'':28}{line}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The load tests' policy: WINDOWS blackout windows of the five recurring
kinds in turn, each bound to its own namespace team-N, except the first
PROD_EU_1 of them, bound to prod-eu-1 (the namespace of the benchmark's
reviews), so that a review there meets that many windows.

Usage: bench/make_policy.py WINDOWS PROD_EU_1 FILE
"""
import sys

KINDS = ['weeklyRange: {from: "Sat 00:00", to: "Mon 06:00"}', 'daily: {from: "22:00", to: "06:00"}',
         'cron: {schedule: "0 22 * * 5", duration: 58h}', 'yearly: {from: "Dec 20 00:00", to: "Jan 2 00:00"}',
         'monthly: {from: "-1 18:00", to: "1 09:00"}']


def main(windows, prod_eu_1, path):
    out = ["apiVersion: windowguard.dev/v1", "kind: WindowPolicy", "windows:"]
    for i in range(windows):
        out += [f"  - name: window-{i}", "    type: blackout", "    timeZone: Europe/Berlin", "    durations:",
                f"      - {KINDS[i % 5]}"]
    out.append("bindings:")
    for i in range(windows):
        out += [f"  - windows: [window-{i}]", f"    environments: [{'prod-eu-1' if i < prod_eu_1 else f'team-{i}'}]"]
    with open(path, "w") as policy:
        policy.write("\n".join(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])

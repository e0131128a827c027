#!/usr/bin/env python3
"""Runs clang-tidy over units of a compile database, skipping units known clean.

A unit is known clean when clang-tidy passed it before with the same key: a
hash of clang-tidy's version, every .clang-tidy from the unit's folder up to
the checkout (a folder may add checks), the unit's compile flags
and its preprocessed text, comments kept (so a NOLINT counts) and the
checkout's path removed (so another clone of the same tree hits). Only clean
results are remembered, as empty files in the cache directory; a unit with
findings is checked, and its findings printed, every time.

Usage: scripts/clang-tidy-cached.py BUILD_DIR UNIT... [--jobs N] [--cache DIR]
                                    [--profile]
--profile checks every unit (no cache) and prints what each check cost,
summed over the units, most expensive first. The static analyzer's time is
not in clang-tidy's profile: time a run with and without clang-analyzer-*.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

def compile_commands(build_dir):
    with open(os.path.join(build_dir, "compile_commands.json"), encoding="utf-8") as database:
        return {os.path.realpath(entry["file"]): entry for entry in json.load(database)}


def preprocessing_command(entry):
    """The unit's compile command, made to print its preprocessed text with comments
    (-C: those of the source; -CC, which keeps them in macro expansions too, breaks
    the token pasting of Boost.MPL)."""
    arguments = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    kept = []
    skip_next = False
    for argument in arguments:
        if skip_next:
            skip_next = False
        elif argument == "-o":
            skip_next = True
        elif argument != "-c":
            kept.append(argument)
    return kept + ["-E", "-C"], arguments


def unit_key(entry, fixed_part, checkout):
    command, arguments = preprocessing_command(entry)
    preprocessed = subprocess.run(command, cwd=entry["directory"], capture_output=True, check=True).stdout
    digest = hashlib.sha256(fixed_part)
    digest.update(" ".join(arguments).replace(checkout, ".").encode())
    digest.update(preprocessed.replace(checkout.encode(), b"."))
    return digest.hexdigest()


def run_tidy(build_dir, unit, extra):
    return subprocess.run(["clang-tidy", "-p", build_dir, "--quiet", *extra, unit],
                          capture_output=True, text=True, check=False)


def configs_of(unit, checkout):
    """The .clang-tidy files clang-tidy reads for the unit, nearest last."""
    configs = []
    folder = pathlib.Path(unit).parent
    root = pathlib.Path(checkout)
    while True:
        config = folder / ".clang-tidy"
        if config.exists():
            configs.append(config.read_bytes())
        if folder == root or folder == folder.parent:
            break
        folder = folder.parent
    return b"\0".join(reversed(configs))


def check_unit(build_dir, unit, entry, cache, version, checkout):
    try:
        key = unit_key(entry, version + b"\0" + configs_of(unit, checkout) + b"\0", checkout)
    except subprocess.CalledProcessError as error:
        return unit, False, False, f"{unit}: could not preprocess:\n{error.stderr.decode(errors='replace')}"
    marker = cache / key
    if marker.exists():
        return unit, True, True, ""
    result = run_tidy(build_dir, unit, [])
    report = (result.stdout + result.stderr).strip()
    clean = result.returncode == 0 and not result.stdout.strip()
    if clean:
        marker.touch()
    return unit, clean, False, report


def profile(build_dir, units, jobs):
    totals = {}
    with tempfile.TemporaryDirectory() as store:

        def profile_unit(unit):
            run_tidy(build_dir, unit, ["--enable-check-profile", f"--store-check-profile={store}"])

        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            list(pool.map(profile_unit, units))
        for path in pathlib.Path(store).glob("*.json"):
            with open(path, encoding="utf-8") as record:
                for name, seconds in json.load(record)["profile"].items():
                    # "time.clang-tidy.CHECK.wall" and its .user and .sys twins
                    if name.endswith(".wall"):
                        check = name[len("time.clang-tidy."):-len(".wall")]
                        totals[check] = totals.get(check, 0.0) + seconds
    family_totals = {}
    for check, seconds in totals.items():
        family = check.split("-")[0] if not check.startswith("clang-analyzer") else "clang-analyzer"
        family_totals[family] = family_totals.get(family, 0.0) + seconds
    print(f"{'seconds':>9}  family (summed over {len(units)} units)")
    for family, seconds in sorted(family_totals.items(), key=lambda item: -item[1]):
        print(f"{seconds:9.1f}  {family}")
    print(f"\n{'seconds':>9}  check (the 25 most expensive)")
    for check, seconds in sorted(totals.items(), key=lambda item: -item[1])[:25]:
        print(f"{seconds:9.1f}  {check}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build_dir")
    parser.add_argument("units", nargs="+")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    cache_home = os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache"))
    parser.add_argument("--cache", default=os.path.join(cache_home, "windowguard", "clang-tidy"))
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()

    units = [os.path.realpath(unit) for unit in options.units]
    if options.profile:
        return profile(options.build_dir, units, options.jobs)

    database = compile_commands(options.build_dir)
    missing = [unit for unit in units if unit not in database]
    if missing:
        print("not in the compile database: " + ", ".join(missing), file=sys.stderr)
        return 2
    cache = pathlib.Path(options.cache)
    cache.mkdir(parents=True, exist_ok=True)
    checkout = os.path.realpath(os.getcwd())
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, check=True).stdout

    failed = 0
    hits = 0
    with concurrent.futures.ThreadPoolExecutor(options.jobs) as pool:
        futures = [pool.submit(check_unit, options.build_dir, unit, database[unit], cache, version, checkout)
                   for unit in units]
        for future in concurrent.futures.as_completed(futures):
            unit, clean, hit, report = future.result()
            hits += hit
            if not clean:
                failed += 1
                print(report or f"{unit}: clang-tidy failed", file=sys.stderr)
    print(f"clang-tidy: {len(units)} units, {hits} known clean from the cache, "
          f"{len(units) - hits} checked, {failed} with findings")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Summarise a py-spy profile: the frames where samples were taken (self) and the frames they went
through (inclusive), optionally only in the stacks that pass through a given function.

    py-spy record -f raw -o profile.txt --pid <service pid>      # or: -- python bench/...
    .venv/bin/python -m bench.support.profile_summary profile.txt [--within relay_once] [--top 15]

The benchmarks' profiles in the README are printed with it.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path


def frame_name(frame: str) -> str:
    """`function (path/to/module.py:line)` as `function (module.py)`."""
    match = re.match(r"(.*) \((.*?):\d+\)$", frame)
    if not match:
        return frame
    return f"{match.group(1)} ({Path(match.group(2)).name})"


def summarise(lines: list[str], within: str | None) -> tuple[int, Counter[str], Counter[str]]:
    total, own, through = 0, Counter[str](), Counter[str]()
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not count.isdigit():
            continue
        frames = [frame_name(f) for f in stack.split(";")]
        if within is not None:
            names = [f.split(" (")[0].rpartition(".")[2] for f in frames]  # methods: Class.name
            if within not in names:
                continue
            frames = frames[names.index(within):]
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            through[frame] += samples
    return total, own, through


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--within", help="only stacks through this function, from it down")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    total, own, through = summarise(args.profile.read_text().splitlines(), args.within)
    print(f"{total} samples" + (f" in {args.within}" if args.within else ""))
    print("  self (where the samples were taken)")
    for frame, samples in own.most_common(args.top):
        print(f"    {100 * samples / max(total, 1):5.1f}%  {frame}")
    print("  inclusive (what the samples went through)")
    for frame, samples in through.most_common(args.top):
        print(f"    {100 * samples / max(total, 1):5.1f}%  {frame}")


if __name__ == "__main__":
    main()

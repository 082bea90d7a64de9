#!/usr/bin/env python3
"""What python3 runs against picklejar in bench/cli/run.sh, the same job as each command:

    python_jobs.py show FILE              print(repr(pickle.load(f))) for every pickle of FILE
    python_jobs.py convert FILE OUT N     load each pickle, pickle.dump it at protocol N into OUT
    python_jobs.py json FILE OUT          load each pickle, json.dump it (ensure_ascii=False) as one line of OUT
    python_jobs.py scan FILE              walk the opcodes with pickletools.genops, collect the globals
                                          (GLOBAL, INST and STACK_GLOBAL's two strings) and print them

picklescan is not installable here; the genops walk is a floor for what a Python scanner costs (it
judges nothing and opens no archives).
"""
import json
import pickle
import pickletools
import sys


def pickles(path):
    with open(path, "rb") as f:
        while f.peek(1):
            yield pickle.load(f)


def scan(path):
    found = set()
    with open(path, "rb") as f:
        while f.peek(1):
            strings = []
            for opcode, arg, _ in pickletools.genops(f):
                if opcode.name in ("GLOBAL", "INST"):
                    found.add(arg.replace(" ", "."))
                elif opcode.name == "STACK_GLOBAL" and len(strings) >= 2:
                    found.add(strings[-2] + "." + strings[-1])
                elif isinstance(arg, str):
                    strings.append(arg)
                    del strings[:-2]
    for name in sorted(found):
        print(name)


def main():
    job, path = sys.argv[1], sys.argv[2]
    if job == "show":
        for value in pickles(path):
            print(repr(value))
    elif job == "convert":
        with open(sys.argv[3], "wb") as out:
            for value in pickles(path):
                pickle.dump(value, out, int(sys.argv[4]))
    elif job == "json":
        with open(sys.argv[3], "w", encoding="utf-8") as out:
            for value in pickles(path):
                json.dump(value, out, ensure_ascii=False)
                out.write("\n")
    elif job == "scan":
        scan(path)
    else:
        sys.exit("unknown job " + job)


if __name__ == "__main__":
    main()

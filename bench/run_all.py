#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: every benchmark in bench/, then the ratios of issue 14's "Done when" in one table.

Arguments after `--` go to nothing; run a single benchmark script for its own options
(`python bench/inventory_bench.py --help`).
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import inventory_bench  # noqa: E402  pylint: disable=wrong-import-position
import module_bench  # noqa: E402  pylint: disable=wrong-import-position
from benchlib import machine_note, verdict  # noqa: E402  pylint: disable=wrong-import-position


def main():
    started = time.monotonic()
    note = machine_note()
    lines = inventory_bench.report(inventory_bench.main([]))
    lines += module_bench.report(module_bench.main([]))
    print('\n== summary (%.0f s; before: %s; after: %s)' % (time.monotonic() - started, note, machine_note()))
    for name, value, target, ok in lines:
        print('%-84s x%6.2f  (%s) %s' % (name, value, target, verdict(ok)))
    return 0  # a benchmark reports; it does not fail a build


if __name__ == '__main__':
    sys.exit(main())

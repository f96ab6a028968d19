# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract: `make demo` stays true — the README's demo command runs end to end.

Runs examples/demo.sh with this venv: the simulator starts seeded, the example
playbook creates and then changes nothing, the check-mode plan shows a rename
and a delete, pick_image.yml picks an image and a size, the inventory graph
shows the declared backends of both dialects, and the simulator is gone afterwards.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_end_to_end():
    env = dict(os.environ, VENV=sys.prefix)
    proc = subprocess.run(['bash', str(REPO / 'examples' / 'demo.sh')], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-5000:]
    url = re.search(r'simulator running at (http://127\.0\.0\.1:\d+)', out).group(1)
    assert '(eras: backends B1 = mist.io of 2014, clouds C3 = mist.api v5)' in out, 'the demo says which era it shows'
    recaps = re.findall(r'localhost\s+: ok=\d+\s+changed=(\d+)', out)
    assert len(recaps) == 4
    assert recaps[3] == '0', 'picking an image and a size changes nothing'
    assert re.search(r'prod-ec2: image ubuntu-22\.04-x86_64-202412\d\d \(ami-[0-9a-f]{17}\), '
                     r'size Small Instance \(t2\.small, 2048 MiB\)', out), 'pick_image.yml picks the newest build and t2.small'
    assert int(recaps[0]) > 0 and recaps[1] == '0', 'the second run of backends.yml must change nothing'
    assert '+    "name": "rackspace-lon",' in out, 'the check-mode diff shows the planned rename'
    assert "rename: ['rename'] -> rackspace-lon" in out and "retire: ['delete']" in out
    for group in ('@prod_ec2:', '@docker_host:', '@mist_legacy:', '@legacy_eu:', '@lab_other:'):
        assert group in out
    # The simulator was stopped: nothing listens on its port any more.
    port = url.rsplit(':', 1)[1]
    assert subprocess.run(['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/%s' % port], capture_output=True, check=False).returncode != 0

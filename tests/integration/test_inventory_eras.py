# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory against every era the simulator speaks (B1, B2, C1, C3; MIST_API.md section 0).

Each era's `ansible-inventory --list -y` (defaults config; api_version pinned to the era's
dialect, since the simulator serves both) is compared with golden/defaults.<era>.list.yml where the era's output differs from its dialect's, else with the
dialect's golden file (golden/defaults.<dialect>.list.yml). UPDATE_GOLDEN=1 writes a per-era file
only when the output differs from the dialect's.
"""

from __future__ import annotations

import pytest

from test_inventory import GOLDEN, SEED, UPDATE, check_golden, write_config

ERAS = {'B1': 'backends', 'B2': 'backends', 'C1': 'clouds', 'C3': 'clouds'}

pytestmark = pytest.mark.slow


@pytest.mark.parametrize('mist_era', sorted(ERAS))
def test_defaults_per_era(ansible, sim, mistsim_token, tmp_path, mist_era):
    sim.seed(SEED)
    env = {'MIST_URL': sim.url, 'MIST_API_TOKEN': mistsim_token}
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\n', 'defaults', ERAS[mist_era])
    listing = ansible.assert_ok(ansible.inventory(path, env=env))
    assert 'Traceback' not in listing.output
    assert not sim.writes()
    era_file = 'defaults.%s.list.yml' % mist_era
    dialect_file = 'defaults.%s.list.yml' % ERAS[mist_era]
    if (GOLDEN / era_file).exists() or (UPDATE and listing.stdout != (GOLDEN / dialect_file).read_text()):
        check_golden(era_file, listing.stdout)
    else:
        check_golden(dialect_file, listing.stdout)

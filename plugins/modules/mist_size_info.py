#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mist_size_info
short_description: List the sizes (flavors, instance types) a Mist backend offers
version_added: 0.2.0
description:
  - Lists the sizes (instance types, flavors, plans) of one backend of a Mist server, or of every
    backend, to pick one for a new machine.
  - Every size is reported in one shape whatever the server's dialect and era (see RV(sizes)).
  - One request per backend; several backends are read in parallel (O(max_workers)).
  - Filters apply to the listed sizes; when several are given, a size must match all of them.
  - Read-only; never reports a change.
author:
  - mistio.cloud developers (@mistio)
extends_documentation_fragment:
  - mistio.cloud.connection
  - mistio.cloud.backend_choice
  - mistio.cloud.attributes
  - mistio.cloud.attributes.info_module
options:
  name:
    description:
      - Only the sizes whose name matches this shell-style pattern (V(t3.*)); case-sensitive.
        A name without C(*), C(?) or C([) must match exactly.
    type: str
  min_ram:
    description:
      - Only the sizes with at least this much memory, in MiB (V(2048) for 2 GB).
        A size whose memory the server does not give is left out.
    type: int
  min_cpus:
    description:
      - Only the sizes with at least this many CPUs. A size whose CPUs the server does not give is
        left out; the C(backends) dialect never gives them.
    type: int
'''

EXAMPLES = r'''
- name: The sizes of one backend with at least 2 GB of memory
  mistio.cloud.mist_size_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    backend_name: production
    min_ram: 2048
  register: listed

- name: The smallest of them
  ansible.builtin.set_fact:
    size: "{{ listed.sizes | sort(attribute='ram') | first }}"

- name: Every size with 4 CPUs or more, on every backend
  mistio.cloud.mist_size_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    min_cpus: 4
'''

RETURN = r'''
dialect:
  description: The API dialect the server speaks, C(backends) (mist.io 0.9 era) or C(clouds) (mist.api v1).
  returned: always
  type: str
  sample: clouds
sizes:
  description: The sizes that match the filters, backend by backend in the server's order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description:
        - Mist's id of the size (32 hex digits on a C(clouds) server). A C(backends) server has
          no id of its own and gives the provider's, so it equals RV(sizes[].external_id) there.
      type: str
      returned: always
      sample: 9d8c7b6a5f4e3d2c1b0a998877665544
    external_id:
      description: The provider's id of the size (the instance type on EC2), the one to create a machine with.
      type: str
      returned: always
      sample: t2.small
    name:
      description: The size's name (its provider id when the provider gives none).
      type: str
      returned: always
      sample: Small Instance
    cpus:
      description: How many CPUs, or null where the server does not say (always on C(backends) servers).
      type: int
      returned: always
      sample: 1
    ram:
      description: Memory in MiB, or null.
      type: int
      returned: always
      sample: 2048
    disk:
      description: Disk in GB, or null.
      type: int
      returned: always
      sample: 8
    bandwidth:
      description: Bandwidth as the provider states it, or null.
      type: int
      returned: always
      sample: null
    price:
      description: The price the provider states (per hour for most), or null.
      type: raw
      returned: always
      sample: 0.023
    architecture:
      description: The CPU architecture (C(x86), C(arm)), or null where the server does not say.
      type: str
      returned: always
      sample: x86
    extra:
      description: Whatever else the provider reports about the size, as the server passes it on.
      type: dict
      returned: always
      sample: {price: 0.023}
    backend_id:
      description: The id of the backend the size belongs to.
      type: str
      returned: always
      sample: 2b5f3f0c0e9d4c8fb1a7e6d5c4b3a291
    backend_name:
      description: The name of that backend.
      type: str
      returned: always
      sample: production
errors:
  description: When the task fails because backends could not be read, one entry per such backend.
  returned: failure
  type: list
  elements: dict
  sample: [{backend_id: 282anRybLn34tNGugwCNK7oCisfY, backend_name: legacy,
            msg: "Mist failed the request GET /backends/282anRybLn34tNGugwCNK7oCisfY/sizes (503 Backend unavailable)."}]
'''

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.resource_info import MistResourceInfo, run_module

FILTERS = dict(name=dict(type='str'), min_ram=dict(type='int'), min_cpus=dict(type='int'))


class MistSizeInfo(MistResourceInfo):

    kind = 'sizes'

    def select(self, items):
        params = self.module.params
        return resources.select_sizes(items, params['name'], params['min_ram'], params['min_cpus'])


def main():
    run_module(MistSizeInfo, FILTERS)


if __name__ == '__main__':
    main()

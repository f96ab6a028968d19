# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # Every module joins the action group, so module_defaults can set the connection once.
    DOCUMENTATION = r'''
attributes:
  action_group:
    description: Use C(group/mistio.cloud.mist) in C(module_defaults) to set the connection options for all Mist modules at once.
    support: full
    membership:
      - mistio.cloud.mist
'''

    INFO_MODULE = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Only reads from the server, so check mode runs it unchanged.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details: Reads only; there is nothing to compare.
'''

# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # Which backends an info module of what a backend holds reads (images, sizes, locations, machines).
    DOCUMENTATION = r'''
options:
  backend_id:
    description:
      - Read only the backend with exactly this id.
      - An id no backend has fails the task, listing the backends.
      - Mutually exclusive with O(backend_name).
    type: str
  backend_name:
    description:
      - Read only the backend with exactly this name (case-sensitive; the C(title) of a C(backends) server).
      - A name no backend has fails the task, listing the backends; a name several backends share
        fails it too, listing their ids (use O(backend_id) then).
      - Mutually exclusive with O(backend_id).
    type: str
  include_disabled:
    description:
      - Without O(backend_id) and O(backend_name), every enabled backend is read; with this, the
        disabled ones too. A backend named by O(backend_id) or O(backend_name) is read even if disabled.
    type: bool
    default: false
  max_workers:
    description:
      - How many backends are read at the same time (one request per backend); V(1) reads them
        one after the other.
    type: int
    default: 32
notes:
  - Every item of the result names its backend (C(backend_id), C(backend_name)).
  - When the server cannot list the resource of a backend (an error from Mist or the provider, a
    timeout), the task fails with a message that names each such backend; the result still holds
    C(errors) (one entry per failed backend) and the items of the backends that were read.
'''

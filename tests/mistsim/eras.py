# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The eras the simulator speaks (MIST_API.md section 0), and how one is named.

Each dialect speaks one era at a time:

* ``backends``: ``B1`` (mist.io of the seed, 2014-07 to 2014-10; default) or
  ``B2`` (mist.io 2014-10-31 to 2015-11-16);
* ``clouds``: ``C1`` (mist.api in every Mist CE tag v2.0.0-v4.5.4) or ``C3``
  (mist.api master/v5; default).

An era choice is written ``backends=B2,clouds=C1``; since every era name belongs
to one dialect, ``B2,C1`` or a single ``C1`` (the other dialect keeps its
default) say the same. Stdlib only: the harness imports this module too.
"""

BACKENDS_ERAS = ('B1', 'B2')
CLOUDS_ERAS = ('C1', 'C3')
ERAS = BACKENDS_ERAS + CLOUDS_ERAS
DEFAULT = {'backends': 'B1', 'clouds': 'C3'}
_DIALECT_OF = dict([(era, 'backends') for era in BACKENDS_ERAS] + [(era, 'clouds') for era in CLOUDS_ERAS])


class EraError(ValueError):
    pass


def dialect_of(era):
    """'backends' or 'clouds' for an era name (case-insensitive); EraError if unknown."""
    dialect = _DIALECT_OF.get(str(era).strip().upper())
    if dialect is None:
        raise EraError('unknown era %r (expected one of %s)' % (era, ', '.join(ERAS)))
    return dialect


def parse(value=None, base=None):
    """{'backends': ..., 'clouds': ...} from None/'' (defaults), 'B2', 'B2,C1',
    'backends=B2,clouds=C1', or a dict/list/tuple of those items. A dialect not
    named keeps its era in `base` (default: DEFAULT)."""
    if isinstance(value, dict):
        items = ['%s=%s' % pair for pair in value.items()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = (value or '').split(',')
    chosen = dict(base or DEFAULT)
    seen = set()
    for item in (str(item).strip() for item in items):
        if not item:
            continue
        dialect, sep, era = item.partition('=')
        if not sep:
            dialect, era = None, dialect
        era = era.strip().upper()
        actual = dialect_of(era)
        if dialect is not None and dialect.strip() != actual:
            raise EraError('era %s belongs to the %s dialect, not %r' % (era, actual, dialect.strip()))
        if actual in seen:
            raise EraError('two eras given for the %s dialect' % actual)
        seen.add(actual)
        chosen[actual] = era
    return chosen


def spec(value=None):
    """The canonical text of an era choice: 'backends=B1,clouds=C3'."""
    chosen = parse(value)
    return 'backends=%s,clouds=%s' % (chosen['backends'], chosen['clouds'])

"""``python -m fcnet``: see `fcnet.cli`."""

import sys

from .cli import main

sys.exit(main())

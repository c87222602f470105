"""``python -m cleaner`` is the ``cleaner`` command."""

import sys

from cleaner.cli import main

sys.exit(main())

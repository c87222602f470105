"""``python -m cleaner`` is the ``cleaner`` command."""

from cleaner.cli import run_and_exit

run_and_exit()

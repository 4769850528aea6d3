"""`python -m app` is the `gradwalk` command."""

import sys

from .cli import main

sys.exit(main())

"""`python -m mm_assets.cli`: the same as `mm`."""

import sys

from mm_assets.cli import main

sys.exit(main())

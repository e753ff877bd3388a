"""`python -m graphoid ...` is the `graphoid` command."""

import sys

from graphoid.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""`python -m review ...`: the `review` command, for an environment without its console script on PATH."""
import sys

from review.cli import main

if __name__ == "__main__":
    sys.exit(main())

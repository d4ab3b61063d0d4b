"""Build the example map's site from a checkout: `python build.py` (same as `journeymap build journey`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from journeymap.cli import main  # noqa: E402

if __name__ == "__main__":
    main(["build", str(Path(__file__).resolve().parent / "journey"), *sys.argv[1:]])

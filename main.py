"""Start the plan tracker's window: ``python main.py [--db ШЛЯХ_АБО_АДРЕСА]``."""

from __future__ import annotations

import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())

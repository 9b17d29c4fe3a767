import sys

from kopl_tui.cli import main

sys.exit(main())

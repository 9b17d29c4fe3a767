import sys

from kopl_tui.einstieg import main

sys.exit(main())

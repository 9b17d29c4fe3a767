"""Who is working: the audit identity.

The name given by the SSH forced command (``--benutzer``) or else the real uid's login name;
never ``$USER``/``$LOGNAME``, which anyone can set.
"""

from __future__ import annotations

import os
import pwd
import re

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def ermittle_benutzer(angegeben: str | None = None) -> str:
    if angegeben:
        if not _NAME.fullmatch(angegeben):
            raise ValueError(f"„{angegeben}“ ist kein gültiger Benutzername (Buchstaben, Ziffern, . _ -).")
        return angegeben
    return pwd.getpwuid(os.getuid()).pw_name

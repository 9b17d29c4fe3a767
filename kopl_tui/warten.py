"""The console script while its session runs in a Vorstart worker: it waits for the worker's exit
code and passes on the signals the kernel sends it (kopl_tui/einstieg.py hands the terminal over,
kopl_tui/vorstart.py says why the client keeps the controlling terminal).

It runs as a small interpreter of its own, ``python -I -S warten.py FD``, which the client execs
once a worker has taken over: the same process (pid, terminal, process group), and signals that
came meanwhile stay pending across the exec until ``warten`` has its handlers. Without the site
packages and the client's imports it holds ~2 MB less private memory, for the whole session; so it
imports os, signal and sys only (already loaded at interpreter start, but for signal), and nothing
of kopl_tui.
"""

from __future__ import annotations

import os
import signal
import sys

# The signals a terminal sends its foreground process that the app acts on (SIGWINCH: new size;
# SIGHUP: hang-up; SIGTERM; SIGINT before the app has switched the terminal to raw mode).
WEITERGEREICHT = (signal.SIGWINCH, signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


def nachricht(daten: bytes) -> tuple[bytes, int | None]:
    """A message on the Vorstart connection (b"signal 28", b"ende -15"): its word and its number
    (None if it has none)."""
    wort, _, zahl = daten.partition(b" ")
    ziffern = zahl[1:] if zahl.startswith(b"-") else zahl
    return wort, int(zahl) if ziffern.isdigit() else None


def warten(fd: int) -> int:
    """Pass on each signal of ``WEITERGEREICHT`` as a message on the connection ``fd`` until the exit
    code comes (from the worker, or from the server that reaped it); a worker ended by a signal gives
    128 + its number, as a shell reports it. The signals must be blocked on entry."""
    def weiterreichen(nummer: int, _rahmen: object) -> None:
        try:
            os.write(fd, b"signal %d" % nummer)
        except OSError:  # the worker has gone: its exit code is on its way
            pass

    for nummer in WEITERGEREICHT:
        signal.signal(nummer, weiterreichen)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, WEITERGEREICHT)
    while True:
        try:
            daten = os.read(fd, 256)  # one message (SOCK_SEQPACKET); resumed after a signal (PEP 475)
        except OSError:
            daten = b""
        if not daten:
            return 1  # worker and server gone without a word (a server ended meanwhile)
        wort, code = nachricht(daten)
        if wort == b"ende":
            return 1 if code is None else code if code >= 0 else 128 - code


def main() -> None:
    try:
        with open("/proc/self/comm", "w", encoding="ascii") as name:
            name.write("kopl-tui")  # as `ps -e` and `pgrep` knew it before the exec
    except OSError:
        pass
    sys.exit(warten(int(sys.argv[1])))


if __name__ == "__main__":
    main()

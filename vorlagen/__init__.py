"""The letter templates shipped with kopl-tui (installed as the package ``kopl_tui.vorlagen``).

The .docx files here are package data: the app reads them through ``importlib.resources``, so a
wheel or ``pip install .`` finds them without any path or environment variable. A Jobcenter's own
edited copies go into ``<data>/vorlagen/`` and override these file by file (README "Briefe").
"""

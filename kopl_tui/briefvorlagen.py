"""Where a letter template comes from, and rendering one safely with docxtpl.

The shipped templates are package data (the package ``kopl_tui.vorlagen``, in the repository the
top-level ``vorlagen/``) read through ``importlib.resources``, so a wheel or ``pip install .``
finds them without a path or environment variable. A Jobcenter's own edited copies live in
``<data>/vorlagen/`` and override the shipped ones file by file (README "Briefe"). `vorlagendatei`
is the one place that decides which file a letter uses: rendering, ``kopl-tui vorlagen-pruefen``
and the app all go through it.

A template is code: it is rendered in Jinja's sandbox with
autoescape and StrictUndefined, so user text is never evaluated and a placeholder nobody provides
is an error instead of a silent blank. A template opened and saved again in LibreOffice must not
produce damaged letters, see `_vorlage_lesen`.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from markupsafe import Markup, escape

from kopl_tui import dateien
from kopl_tui.datenordner import vorlagen_ordner
from kopl_tui.model import bereinige_text

MITGELIEFERT = "kopl_tui.vorlagen"
"""The package that holds the shipped .docx files."""

"""``<data>/vorlagen/``: the Jobcenter's own templates, each overriding the shipped file of that name."""

# The core-properties relationship as LibreOffice writes it ("officedocument", lower case) and as
# python-docx looks it up. With the first, python-docx adds a second docProps/core.xml on render.
_CORE_LIBREOFFICE = "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
_CORE_STANDARD = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_PAKET_RELS = "_rels/.rels"


class VorlagenFehler(Exception):
    """A template cannot be used (missing, broken, unknown placeholder, unsafe); German message."""


class VorlagenSicherheitsFehler(VorlagenFehler):
    """The template tried something the sandbox forbids (e.g. ``cycler.__init__.__globals__``)."""


# ---- which file ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Vorlagendatei:
    """The file a template name resolves to, and whether it is the Jobcenter's own."""

    pfad: Traversable
    eigene: bool

    @property
    def herkunft(self) -> str:
        return "eigene Vorlage" if self.eigene else "mitgeliefert"

    @property
    def name(self) -> str:
        return self.pfad.name

    def lesen(self) -> bytes:
        """The file's bytes; the Jobcenter's own file lies in the data folder and is read, like
        everything there, never through a link (kopl_tui/dateien.py)."""
        if self.eigene:
            return dateien.lesen(Path(str(self.pfad)))
        return self.pfad.read_bytes()


Quelle = Path | Traversable | Vorlagendatei
"""A template to read: a resolved `Vorlagendatei`, or any file (tests, a folder given by hand)."""


def eigener_ordner(daten: Path | str) -> Path:
    """The override folder of a data folder."""
    return vorlagen_ordner(daten)


def vorlagendatei(datei: str, eigene: Path | None) -> Vorlagendatei:
    """``eigene / datei`` if that file exists, else the shipped one (which may be missing in a
    broken install: rendering then says so)."""
    if eigene is not None and dateien.vorhanden(Path(eigene) / datei) is not None:
        return Vorlagendatei(Path(eigene) / datei, eigene=True)  # a link there is refused when read
    return Vorlagendatei(files(MITGELIEFERT) / datei, eigene=False)


# ---- reading a template ------------------------------------------------------------------------

def doppelte_eintraege(inhalt: bytes) -> list[str]:
    """Names that occur more than once in a .docx (zip): Word and newer LibreOffice call it damaged."""
    with zipfile.ZipFile(io.BytesIO(inhalt)) as archiv:
        zaehler = Counter(info.filename for info in archiv.infolist())
    return sorted(name for name, anzahl in zaehler.items() if anzahl > 1)


def _beschaedigt(name: str, doppelt: list[str]) -> VorlagenFehler:
    eintraege = ", ".join(f"„{eintrag}“" for eintrag in doppelt)
    return VorlagenFehler(f"Die Vorlage {name} ist beschädigt: der Eintrag {eintraege} kommt in der Datei doppelt "
                          "vor. Bitte die Vorlage in Word öffnen und neu speichern (oder die mitgelieferte nehmen).")


def _vorlage_lesen(quelle: Quelle) -> bytes:
    """The template's bytes, refused if damaged, with LibreOffice's core-properties relationship
    rewritten to the standard one so python-docx finds the existing docProps/core.xml instead of
    adding a second. Rewritten here, before python-docx reads the
    package, so no private python-docx attribute is touched."""
    from lxml import etree

    datei = quelle if isinstance(quelle, Vorlagendatei) else Vorlagendatei(quelle, eigene=False)
    pfad = datei.pfad
    try:
        inhalt = datei.lesen()
    except FileNotFoundError:
        raise VorlagenFehler(f"Die Vorlagendatei {pfad} fehlt.") from None
    except IsADirectoryError:
        raise VorlagenFehler(f"Die Vorlage {pfad} ist ein Ordner, keine Datei.") from None
    except OSError as fehler:  # the file system's problem, not the template's
        raise VorlagenFehler(dateien.meldung(fehler, str(pfad), "Lesen der Vorlage")) from fehler
    except dateien.StoreFehler as fehler:  # a link or a folder in the data folder, disk errors
        raise VorlagenFehler(str(fehler)) from fehler
    try:
        doppelt = doppelte_eintraege(inhalt)
        if doppelt:
            raise _beschaedigt(pfad.name, doppelt)
        with zipfile.ZipFile(io.BytesIO(inhalt)) as archiv:
            if _PAKET_RELS not in archiv.namelist() or _CORE_LIBREOFFICE.encode() not in archiv.read(_PAKET_RELS):
                return inhalt
            rels = etree.fromstring(archiv.read(_PAKET_RELS))
            for beziehung in rels:
                if beziehung.get("Type") == _CORE_LIBREOFFICE:
                    beziehung.set("Type", _CORE_STANDARD)
            puffer = io.BytesIO()
            with zipfile.ZipFile(puffer, "w") as neu:
                for info in archiv.infolist():
                    daten = archiv.read(info)
                    if info.filename == _PAKET_RELS:
                        daten = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
                    neu.writestr(info, daten)
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} ist kein lesbares Word-Dokument ({fehler}).") from fehler
    return puffer.getvalue()


# ---- rendering ---------------------------------------------------------------------------------

def _umgebung():  # noqa: ANN202 - jinja2 is imported lazily with docxtpl
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def _fuer_word(wert: str | bool) -> Markup | bool:
    """Clean (\\r\\n, control characters), escape for XML, and keep braces out of docxtpl's
    ``{_{`` → ``{{`` post-processing, so user text comes out exactly as typed."""
    if isinstance(wert, bool):
        return wert
    text = str(escape(bereinige_text(wert)))
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))


def rendern_datei(pfad: Quelle, ctx: Mapping[str, str | bool]) -> bytes:
    """Render one .docx template file with ``ctx``; the finished document as bytes, never one with
    duplicate zip entries."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateSyntaxError

    vorlage = DocxTemplate(io.BytesIO(_vorlage_lesen(pfad)))
    try:
        vorlage.render({k: _fuer_word(v) for k, v in ctx.items()}, jinja_env=_umgebung(), autoescape=True)
        puffer = io.BytesIO()
        vorlage.save(puffer)
    except SecurityError as fehler:
        raise VorlagenSicherheitsFehler(f"Die Vorlage {pfad.name} versucht einen unerlaubten Zugriff und wird "
                                        f"nicht verwendet ({fehler}).") from fehler
    except UndefinedError as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} enthält einen unbekannten Platzhalter ({fehler}).") from fehler
    except TemplateSyntaxError as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} hat einen Fehler in einem Platzhalter: {fehler.message}") \
            from fehler
    except TemplateError as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} kann nicht verwendet werden: {fehler}") from fehler
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as fehler:  # not a .docx / damaged zip or XML
        raise VorlagenFehler(f"Die Vorlage {pfad.name} ist kein lesbares Word-Dokument ({fehler}).") from fehler
    ergebnis = puffer.getvalue()
    doppelt = doppelte_eintraege(ergebnis)
    if doppelt:  # a template damaged in a way not known here: refuse rather than hand out a broken letter
        raise _beschaedigt(pfad.name, doppelt)
    return ergebnis


def platzhalter(pfad: Quelle) -> set[str]:
    """The undeclared variables of a template (parsing only, nothing is executed)."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    vorlage = DocxTemplate(io.BytesIO(_vorlage_lesen(pfad)))
    try:
        return set(vorlage.get_undeclared_template_variables(jinja_env=_umgebung()))
    except TemplateSyntaxError as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} hat einen Fehler in einem Platzhalter: "
                             f"{fehler.message}") from fehler
    except (KeyError, ValueError, zipfile.BadZipFile) as fehler:
        raise VorlagenFehler(f"Die Vorlage {pfad.name} ist kein lesbares Word-Dokument ({fehler}).") from fehler

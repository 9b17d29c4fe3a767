"""Date fields typed as TT.MM.JJJJ.

A plain text field (``Input``) with a character filter instead of ``MaskedInput``: MaskedInput
crashes when a letter is typed over a filled value (https://github.com/Textualize/textual/issues/5493)
and marks empty optional dates invalid. Calendar checks come from the model (kopl_tui.datum), so
screen and model agree.
"""

from __future__ import annotations

from textual.suggester import SuggestFromList
from textual.validation import ValidationResult, Validator
from textual.widgets import Input

from kopl_tui.datum import DatumFehler, format_datum, parse_datum
from kopl_tui.model import UNBEGRENZT


class _DatumPruefer(Validator):
    def __init__(self, unbegrenzt_erlaubt: bool):
        super().__init__()
        self.unbegrenzt_erlaubt = unbegrenzt_erlaubt

    def validate(self, value: str) -> ValidationResult:
        if self.unbegrenzt_erlaubt and value.strip().lower() == UNBEGRENZT:
            return self.success()
        try:
            parse_datum(value)
        except DatumFehler as fehler:
            return self.failure(str(fehler))
        return self.success()


class DatumInput(Input):
    """TT.MM.JJJJ; also accepts TTMMJJJJ and tidies it to TT.MM.JJJJ when the field is left."""

    def __init__(self, *, id: str, unbegrenzt: bool = False, **kwargs: object):
        super().__init__(
            placeholder="TT.MM.JJJJ" + (" oder unbegrenzt" if unbegrenzt else ""),
            restrict=r"[0-9.]*|[uU][a-zA-Z]*" if unbegrenzt else r"[0-9.]*",
            max_length=10,
            validators=[_DatumPruefer(unbegrenzt)],
            validate_on=["changed", "blur"],
            valid_empty=True,
            suggester=SuggestFromList([UNBEGRENZT], case_sensitive=False) if unbegrenzt else None,
            id=id,
            compact=True,
            **kwargs,  # type: ignore[arg-type]
        )
        self.unbegrenzt = unbegrenzt

    def on_blur(self) -> None:
        text = self.value.strip()
        if self.unbegrenzt and text and UNBEGRENZT.startswith(text.lower()):
            self.value = UNBEGRENZT
            return
        try:
            datum = parse_datum(text)
        except DatumFehler:
            return
        if datum is not None and format_datum(datum) != text:
            self.value = format_datum(datum)

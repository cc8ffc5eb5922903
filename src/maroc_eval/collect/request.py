"""The forms ``maroc-eval formulaire`` is asked for: checked options, then the files written.

Forms are never written into the data folder, one of its sub-folders, a folder holding it, or
the project's root (:func:`maroc_eval.base.output_folder.check_output_folder`): they would be read
as data, or mixed with it.
"""

from __future__ import annotations

from pathlib import Path

from ..base.errors import ParameterError, suggest
from ..base.i18n import _
from ..base.output_folder import check_output_folder
from ..core.programme import load_programme
from ..core.validation import validate_inputs
from .form import write_forms
from .formmeta import form_key
from .rules import parse_years
from .xlsform import write_xlsform


def make_forms(programme_file: Path, data_dir: Path, years: str | None, pairs: tuple[str, ...],
               folder: Path, *, xlsform: bool = False, deadline: str | None = None,
               contact: str | None = None) -> list[Path]:
    """Write the workbook of each pair, or the XLSForm, for the years asked.

    Parameters
    ----------
    programme_file : Path
        The programme definition.
    data_dir : Path
        The data folder: its values fill the reference years and the values already known.
    years : str
        ``2011-2012``, ``2011`` or ``2011,2012``.
    pairs : tuple of str
        Pair codes (empty: all).
    folder : Path
        Where the files are written.
    xlsform : bool
        Write one XLSForm (for KoboToolbox / ODK) instead of the workbooks.
    deadline, contact : str, optional
        For the instructions.

    Returns
    -------
    list of Path

    Raises
    ------
    ParameterError
        Unknown pair or years outside the programme.
    InputError
        The programme or the data folder holds errors.
    """
    if not years:
        raise ParameterError(_("Option manquante : --annees (les années à collecter, ex. "
                               "--annees 2011-2012)."))
    programme = load_programme(programme_file)
    try:
        wanted = parse_years(years, programme)
    except ValueError as exc:
        raise ParameterError(_("--annees « {years} » : attendu {exc}.").format(
                                 years=years, exc=exc)) from None
    unknown = [p for p in pairs if p not in programme.pair_codes]
    if unknown:
        raise ParameterError("; ".join(_("Partenariat inconnu « {value} »{hint}").format(
                                           value=p, hint=suggest(p, programme.pair_codes))
                                       for p in unknown)
                             + _(". Valeurs possibles : {codes}.").format(
                                 codes=", ".join(programme.pair_codes)))
    chosen = [p for p in programme.pair_codes if not pairs or p in pairs]
    check_output_folder(folder, (data_dir,))  # never the data folder, a parent, the project
    if xlsform:
        return [write_xlsform(programme, chosen, wanted, Path(folder))]
    report = validate_inputs([Path(data_dir)], programme_file)
    report.found.raise_if_errors()
    key = form_key(Path(data_dir), create=True)
    return write_forms(programme, report.observations, chosen, wanted, Path(folder), key,
                       deadline=deadline, contact=contact)

"""The texts of ``params/*.yml`` that readers see, for the gettext catalogues (Babel extractor).

The programme file and the evaluation matrix are written in French by the evaluators; their
labels (titles of the results, indicators and their units, phases, DAC criteria, the scale, the
evaluation questions…) appear in every report. They are extracted like the code's messages, so
that the English catalogue translates them once, and shown through
:meth:`maroc_eval.core.programme.Programme.localised` and
:meth:`maroc_eval.core.matrix.EvaluationMatrix.localised`.

Registered in ``babel.cfg``: ``[maroc_eval.core.params_extract:extract_params: params/*.yml]``.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

TEXT_KEYS = frozenset({
    "bailleur", "objectif_specifique", "contexte", "libelle", "titre", "vision", "unite",
    "question", "criteres_jugement", "texte", "commanditaire", "equipe",
})
"""Keys whose value (a text, or a list of texts) is shown to readers."""
TEXT_MAPS = frozenset({
    "niveaux", "modalites", "sources", "destinataires", "priorites", "etats_suivi", "sigles",
    "termes_de_reference",
})
"""Keys whose value is a mapping of codes to texts shown to readers."""


def _texts(node, key: str | None, inside_map: bool) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.ScalarNode):
        if (key in TEXT_KEYS or inside_map) and node.tag.endswith(":str") and node.value.strip():
            yield node.start_mark.line + 1, node.value
        return
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _texts(item, key, inside_map)
        return
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else None
            if key in TEXT_MAPS and isinstance(v, yaml.ScalarNode):
                yield from _texts(v, name, True)
            else:
                yield from _texts(v, name, False)


def texts(source: str) -> list[tuple[int, str]]:
    """Every reader-facing text of a parameter file, with its line, in file order.

    Examples
    --------
    >>> texts("phases:\\n  midterm:\\n    libelle: Évaluation à mi-parcours\\n    annee: 2010\\n")
    [(3, 'Évaluation à mi-parcours')]
    """
    node = yaml.compose(source, Loader=yaml.SafeLoader)
    if node is None:
        return []
    # the loaded value of a folded scalar (« >- ») is what the toolkit shows: compose keeps it
    return list(_texts(node, None, False))


def extract_params(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method: ``(line, funcname, message, comments)`` for each text."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, text in texts(source):
        yield line, None, text, []

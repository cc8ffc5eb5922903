"""The thin base every layer stands on: where things are (``paths``), what goes wrong
(``errors``), the user's language (``i18n``, ``french_click``), formats and typography (``fmt``,
``typography``, ``markup``), and the contracts between layers — results sidecars (``sidecar``),
the run ledger (``ledger``), the notebook catalogue (``catalogue``), statuses (``status``),
digests, signatures and signed changes — with safe writing (``atomic``, ``transaction``,
``journal``, ``datalock``, ``output_folder``, ``sheetcells``). It imports no layer.
"""

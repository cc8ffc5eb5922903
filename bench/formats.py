"""The cost of the PDF and Word reports (issue 16), measured within the benchmark's run.

On the outputs of a cold run: ``maroc-eval report --forcer --formats html`` (every HTML report
exported again) against ``maroc-eval report --forcer`` (every report in HTML, PDF and Word),
``runs`` times each, alternated; the difference per report is the added cost of PDF and Word.
Also timed: a ``report`` with nothing to do in any format (the stamps checked), and the page
counts and sizes of the files written.
"""

from __future__ import annotations

from pathlib import Path

from measure import median, say, timed


def _files(out: Path, suffix: str) -> dict:
    found = sorted(out.glob(f"*/*/rapport-*.{suffix}"))
    sizes = [p.stat().st_size for p in found]
    result = {"count": len(found), "bytes_total": sum(sizes),
              "bytes_max": max(sizes, default=0)}
    if suffix == "pdf" and found:
        from pypdf import PdfReader

        pages = {p.name: len(PdfReader(p).pages) for p in found}
        result.update(pages=pages, pages_min=min(pages.values()), pages_max=max(pages.values()))
    return result


def formats_cost(maroc: str, out: Path, proj: Path, env: dict, runs: int = 1) -> dict:
    """Time the report with and without its PDF and Word versions; return the figures."""
    html_only, every = [], []
    for _ in range(runs):
        html_only.append(timed([maroc, "report", "--forcer", "--formats", "html",
                                "--sorties", str(out)], proj, env))
        every.append(timed([maroc, "report", "--forcer", "--sorties", str(out)], proj, env,
                           sample=True))
    unchanged = timed([maroc, "report", "--sorties", str(out)], proj, env)
    n_reports = len(list(out.glob("*/*/rapport-*.html")))
    html_s = median([r["seconds"] for r in html_only])
    all_s = median([r["seconds"] for r in every])
    result = {
        "html_only": html_only, "all_formats": every, "reports": n_reports,
        "html_only_seconds": html_s, "all_formats_seconds": all_s,
        "added_seconds_per_report": round((all_s - html_s) / max(n_reports, 1), 3),
        "all_over_html_only": round(all_s / html_s, 2) if html_s else None,
        "unchanged_all_formats_seconds": unchanged["seconds"],
        "peak_tree_mb": max(r.get("tree_peak_mb", 0) for r in every),
        "pdf": _files(out, "pdf"), "docx": _files(out, "docx"),
        "ok": all(r["status"] == 0 for r in (*html_only, *every, unchanged)),
    }
    say("report --forcer, HTML seul (s)", html_s)
    say("report --forcer, HTML + PDF + Word (s)", all_s)
    say("PDF + Word : coût ajouté par rapport (s)", result["added_seconds_per_report"])
    say("report sans changement, tous formats (s)", unchanged["seconds"])
    say("PDF : pages (min–max) / octets (max)",
        f"{result['pdf'].get('pages_min')}–{result['pdf'].get('pages_max')} / "
        f"{result['pdf']['bytes_max']}")
    say("Word : octets (max)", result["docx"]["bytes_max"])
    return result

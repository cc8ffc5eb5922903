"""Run a job graph: each job as soon as its dependencies are done, a fixed number at once.

A job whose cache key is that of its last successful run, with its outputs in place, is skipped
and keeps its ledger entry. The others go to a thread pool, each in its own fresh kernel (the
run's executor, :mod:`maroc_eval.run.executors`); a failure is recorded and the rest go on. The
ledgers are saved as work ends (at most every ``LEDGER_SAVE_SECONDS``) and at the end; after
Ctrl-C, running kernels are killed and recorded as ``interrupted``.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import FIRST_COMPLETED, CancelledError, ThreadPoolExecutor, wait

from ..base.i18n import _
from ..base.ledger import (
    FAILED,
    INTERRUPTED,
    NO_DIGESTS,
    OK,
    SKIPPED,
    VALID,
    Entry,
    now,
    output_digests,
    vouched,
)
from .execute import Job, JobResult, NotebookExecutor, default_workers

LEDGER_SAVE_SECONDS = 2.0


def workers(options) -> int:
    """Notebooks executed at once: ``--jobs``, else :func:`default_workers`."""
    return options.jobs or default_workers()


def execute_jobs(plan, jobs: list[Job], resolved: dict, executor: NotebookExecutor,
                 options) -> list[dict]:
    """Run the job graph; return the ledger entry of every job, in the order they ended.

    Parameters
    ----------
    plan : maroc_eval.run.plan.Plan
        Prepares each job (parameters, metadata, cache key) and holds the phases' ledgers.
    jobs : list of Job
        Every selected job, with its dependencies.
    resolved : dict
        Each job's resolved parameters, by job id.
    executor : NotebookExecutor
        Runs one notebook in a fresh kernel; told how many notebooks may still need one (the
        caller closes it).
    options : RunOptions
        ``jobs``, ``force`` and ``quiet`` are used.

    Raises
    ------
    KeyboardInterrupt
        Once running kernels are killed and recorded as interrupted, ledgers saved.
    """
    from tqdm import tqdm

    entries: list[dict] = []
    pending = {job.id: job for job in jobs}
    finished: set[str] = set()
    running: dict = {}
    n_workers = workers(options)
    last_save: dict[str, float] = {}
    bar = tqdm(total=len(jobs), disable=options.quiet, file=sys.stderr, unit=_("carnet"),
               desc=_("Carnets"), leave=False)

    def record(job: Job, result: JobResult, params_hash: str, key: str) -> None:
        output = job.failed_output if result.status == FAILED else job.output
        entry = Entry(job=job.key, notebook=job.spec.stem, pair=job.pair, phase=job.phase,
                      status=result.status, duration=result.duration,
                      parameters_hash=params_hash, cache_key=key,
                      output=str(output.relative_to(plan.outputs)), finished=now(),
                      cell=result.cell, ename=result.ename, evalue=result.evalue,
                      outputs=output_digests(job.output, job.sidecar)
                      if result.status == OK else None, language=plan.options.language)
        ledger = plan.ledgers[job.phase]
        if result.status != SKIPPED or ledger.get(job.key) is None:
            # An up-to-date notebook keeps the entry of the run that produced its outputs
            # (status, duration, time): what reports cite, and unchanged so they stay up to date.
            ledger.record(entry)
        # Saved as work finishes, at most every LEDGER_SAVE_SECONDS (rewriting the whole ledger
        # after every notebook is quadratic on large programmes); always at the end. An entry
        # lost to a crash only means that notebook runs again next time.
        since = time.monotonic() - last_save.get(job.phase, 0.0)
        if result.status != SKIPPED and since >= LEDGER_SAVE_SECONDS:
            ledger.save()
            last_save[job.phase] = time.monotonic()
        entries.append(entry.to_dict())
        finished.add(job.id)
        bar.update(1)
        n_failed = sum(e["status"] == FAILED for e in entries)
        active = min(len(running), n_workers)
        queued = len(pending) + len(running) - active
        bar.set_postfix_str(_("en cours : {active}, en attente : {queued}, échecs : {failed}")
                            .format(active=active, queued=queued, failed=n_failed))

    pool = ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="maroc-eval")
    executor.expect(lambda: len(pending))
    try:
        while pending or running:
            ready = [j for j in pending.values() if all(d in finished for d in j.deps)]
            for job in ready:
                del pending[job.id]
                params, metadata, key = plan.prepare(job, resolved[job.id])
                previous = plan.ledgers[job.phase].get(job.key) or {}
                if (not options.force and previous.get("status") in VALID
                        and previous.get("cache_key") == key):
                    why = vouched(previous, job.output, job.sidecar)
                    if why is None:
                        record(job, JobResult(SKIPPED), metadata["parameters_hash"], key)
                        continue
                    if why != NO_DIGESTS:
                        plan.notices.append(_("{job} : résultat {why}, réexécuté").format(
                            job=f"{job.phase}/{job.key}", why=_(why)))
                future = pool.submit(executor.execute, job, params, metadata)
                running[future] = (job, metadata["parameters_hash"], key)
            if not running:
                if pending and not any(all(d in finished for d in j.deps)
                                       for j in pending.values()):
                    break  # unreachable dependencies: nothing more can run
                continue
            done, _waiting = wait(list(running), timeout=1.0, return_when=FIRST_COMPLETED)
            for future in done:
                job, params_hash, key = running.pop(future)
                record(job, future.result(), params_hash, key)
    except KeyboardInterrupt:
        executor.cancel_all()
        for future, (job, params_hash, key) in list(running.items()):
            try:
                result = future.result()
            except (CancelledError, Exception):
                result = JobResult(INTERRUPTED)
            if result.status != OK:
                result = JobResult(INTERRUPTED, duration=result.duration)
            running.pop(future)
            record(job, result, params_hash, key)
        for ledger in plan.ledgers.values():
            ledger.run.update(finished=now(), interrupted=True)
            ledger.save()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
    for ledger in plan.ledgers.values():
        ledger.run.update(finished=now(), interrupted=False)
        ledger.save()
    return entries

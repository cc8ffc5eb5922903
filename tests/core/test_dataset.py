"""The validated-inputs cache shared by a run's notebooks (``maroc_eval.core.dataset``)."""

from __future__ import annotations

import pickle
import shutil

import pandas as pd
import pytest

from maroc_eval.base import paths
from maroc_eval.base.errors import InputError
from maroc_eval.core import dataset
from maroc_eval.core.thresholds import Thresholds


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of the sample data folder."""
    folder = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, folder)
    return folder


def entries(cache_dir):
    return sorted(cache_dir.glob("*.pickle")) if cache_dir.is_dir() else []


def test_first_load_stores_and_second_load_reads_the_entry(data_dir, tmp_path):
    cache = tmp_path / "cache"
    first = dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, cache)
    [entry] = entries(cache)
    assert entry.stem == dataset.dataset_key(paths.PROGRAMME_FILE, data_dir)
    # Prove the second load comes from the file: change the stored copy, not the data.
    stored = pickle.loads(entry.read_bytes())
    stored.observations = stored.observations.assign(comment="marqueur du cache")
    entry.write_bytes(pickle.dumps(stored))
    second = dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, cache)
    assert set(second.observations["comment"]) == {"marqueur du cache"}
    # data rows of suivi.csv (1 comment line, 1 header)
    assert len(second.observations) == len(first.observations) == 1143
    assert second.programme.pair_codes == first.programme.pair_codes


def test_changed_data_gets_a_new_key_and_fresh_values(data_dir, tmp_path):
    cache = tmp_path / "cache"
    before = dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, cache)
    csv = data_dir / "suivi.csv"
    lines = csv.read_text("utf-8").splitlines(keepends=True)
    # Line 1 is a comment, line 2 the header (partenariat, indicateur, annee, valeur,
    # ventilation, …): add 1000 to the first RI3.1 row (trained agents of one sex, a count).
    at = next(i for i, line in enumerate(lines) if line.split(",")[1:2] == ["RI3.1"])
    fields = lines[at].split(",")
    fields[3] = str(float(fields[3]) + 1000)
    lines[at] = ",".join(fields)
    csv.write_text("".join(lines), "utf-8")
    after = dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, cache)
    assert len(entries(cache)) == 2
    key = (fields[0], fields[1], int(fields[2]))
    pick = lambda df: df[(df["pair"] == key[0]) & (df["indicator"] == key[1])  # noqa: E731
                         & (df["year"] == key[2])]["value"].sum()
    assert pick(after.observations) == pytest.approx(pick(before.observations) + 1000)


def test_corrupt_entry_is_ignored_and_replaced(data_dir, tmp_path):
    cache = tmp_path / "cache"
    key = dataset.dataset_key(paths.PROGRAMME_FILE, data_dir)
    target = paths.dataset_cache_path(cache, key)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"ceci n'est pas un pickle")
    loaded = dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, cache)
    assert len(loaded.observations) == 1143
    assert isinstance(pickle.loads(target.read_bytes()), dataset.Dataset)


def test_invalid_data_raise_and_are_never_stored(data_dir, tmp_path):
    cache = tmp_path / "cache"
    csv = data_dir / "suivi.csv"
    csv.write_text(csv.read_text("utf-8") + "jette-sidi-bibi,RI3.1,2010,beaucoup,,,\n", "utf-8")
    with pytest.raises(InputError) as err:
        dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, cache)
    assert any("beaucoup" in line and "suivi.csv" in line for line in err.value.messages())
    assert entries(cache) == []


def test_only_the_most_recent_entries_are_kept(data_dir, tmp_path):
    cache = tmp_path / "cache"
    csv = data_dir / "suivi.csv"
    original = csv.read_text("utf-8")
    for i in range(dataset.KEEP + 2):
        csv.write_text(original + "\n" * i, "utf-8")  # different bytes, same rows
        dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, cache)
    assert len(entries(cache)) == dataset.KEEP


def test_all_rows_recompute_status_for_other_thresholds(data_dir, tmp_path):
    data = dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, None)
    default = data.all_rows("midterm", ri="RI3")
    assert set(default["ri"]) == {"RI3"}
    assert len(default) == 6 * len(data.programme.indicators_of("RI3"))
    # With "met" at 10 (1000 %), no indicator can be "atteint"; a known achievement of at least
    # 0 keeps being classed by the other bands.
    # (built without validation: 1000 % is beyond what a user may set, not what the engine takes)
    strict = data.all_rows("midterm", Thresholds.model_construct(
        threshold_met=10, threshold_on_track=0, threshold_late=0), ri="RI3")
    known = strict["achievement_raw"].notna()
    assert not (strict["status"] == "atteint").any()
    assert set(strict.loc[known, "status"]) <= {"en_bonne_voie"}
    assert (strict.loc[~known, "status"] == "non_renseigne").all()
    # The default table is untouched by the second call.
    assert default.equals(data.all_rows("midterm", ri="RI3"))


def test_all_rows_match_the_engine_pair_by_pair(data_dir):
    from maroc_eval.core import indicators

    data = dataset.load_dataset(paths.PROGRAMME_FILE, data_dir, None)
    rows = data.all_rows("final")
    for pair in data.programme.pair_codes:
        mine = rows[rows["pair"] == pair].drop(columns="pair").reset_index(drop=True)
        engine = indicators.indicator_rows(data.programme, data.observations, pair, "final")
        pd.testing.assert_frame_equal(mine, engine)

#!/usr/bin/env bash
# The loop an evaluator writes by hand: papermill CLI then nbconvert CLI, one notebook at a time,
# in dependency order (RI notebooks, pair synthesis, then the programme synthesis).
# Usage: bench/baseline.sh BIN_DIR OUTPUT_DIR "PHASES" "PAIRS" WITH_PROGRAMME(0|1)
# Run from the project root (the notebooks' relative paths are relative to it).
set -euo pipefail
BIN=$1; OUT=$2; PHASES=$3; PAIRS=$4; WITH_PROGRAMME=$5
RI="ri1_service_action_sociale ri2_planification_suivi ri3_competences_personnel ri4_infrastructures_sociales ri5_elus_budget_social ri7_partenariats_locaux"
for phase in $PHASES; do
  for pair in $PAIRS; do
    mkdir -p "$OUT/$phase/$pair"
    for nb in $RI synthese_partenariat; do
      "$BIN/papermill" --no-progress-bar "notebooks/$nb.ipynb" "$OUT/$phase/$pair/$nb.ipynb" \
        -p pair "$pair" -p phase "$phase" -p output_dir "$OUT" >/dev/null 2>&1
      "$BIN/jupyter" nbconvert --to html "$OUT/$phase/$pair/$nb.ipynb" >/dev/null 2>&1
    done
  done
  if [ "$WITH_PROGRAMME" = 1 ]; then
    mkdir -p "$OUT/$phase/programme"
    "$BIN/papermill" --no-progress-bar notebooks/synthese_programme.ipynb "$OUT/$phase/programme/synthese_programme.ipynb" \
      -p phase "$phase" -p output_dir "$OUT" >/dev/null 2>&1
    "$BIN/jupyter" nbconvert --to html "$OUT/$phase/programme/synthese_programme.ipynb" >/dev/null 2>&1
  fi
done

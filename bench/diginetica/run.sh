#!/usr/bin/env bash
# Diginetica (CIKM Cup 2016, SR-GNN/GCE-GNN preprocessing) with its published test split, through the CLI.
# Usage: bash bench/diginetica/run.sh          the benchmark: defaults, then sknn with the settings tuned on validation
#        bash bench/diginetica/run.sh tune     re-run the sknn tuning (validation = last 10% of the TRAINING sessions)
# Writes runs/diginetica/ and runs/diginetica-tuned/ (metrics.json, report.md, models/) and prints the results tables.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${SHOPCAST_DATA:-../shared/data}
TRAIN=$DATA/diginetica-gcegnn/train_sessions.txt
TEST=$DATA/diginetica-gcegnn/test_prefix_target.tsv
[ -f "$TRAIN" ] && [ -f "$TEST" ] || { echo "Diginetica files not found under $DATA/diginetica-gcegnn (set SHOPCAST_DATA)"; exit 2; }

table() { sed -n '/^## Results (test)/,/^## Models/p' "$1/report.md" | sed '1d;$d'; }

if [ "${1:-}" = "tune" ]; then
  # The harness is a test that runs only with SHOPCAST_BENCH=1; it never reads the test file.
  export SHOPCAST_BENCH=1 SHOPCAST_BENCH_MODELS=${SHOPCAST_BENCH_MODELS:-sknn} SHOPCAST_BENCH_OUT=${SHOPCAST_BENCH_OUT:-$PWD/runs/diginetica-tuning.tsv}
  mkdir -p "$(dirname "$SHOPCAST_BENCH_OUT")"
  B="idf_weighting=5"
  export SHOPCAST_TUNE_GRID=${SHOPCAST_TUNE_GRID:-"|k=50|k=200|k=500|k=1000|sample_size=250|sample_size=1000|sample_size=2500|sample_size=0|similarity=vec|weighting=same|weighting=quadratic|weighting=log|weighting_score=same|weighting_score=linear|weighting_score=quadratic|weighting_score=log|idf_weighting=1|idf_weighting=2|idf_weighting=5|idf_weighting=10|$B,k=150|$B,k=200|$B,k=300|$B,k=200,sample_size=1000|$B,k=300,sample_size=1000|$B,k=500,sample_size=1000|$B,k=500,sample_size=2500|$B,k=200,weighting=log|$B,similarity=vec|$B,k=200,similarity=vec|$B,k=200,weighting_score=quadratic|$B,k=200,max_history=10|$B,k=200,sample_size=250|weighting=same,weighting_score=same"}
  dotnet test -c Release tests/Shopcast.Tests --filter "FullyQualifiedName~DigineticaBenchmark.Tune" --logger "console;verbosity=normal" >/dev/null
  cat "$SHOPCAST_BENCH_OUT"
  exit 0
fi

dotnet build src/Shopcast.Cli -c Release -v q -nologo >/dev/null

start=$SECONDS
dotnet run --no-build --project src/Shopcast.Cli -c Release -- run --data "$TRAIN" --format sessions --test "$TEST" \
  --models pop,itemknn,sknn --out runs/diginetica --quiet
echo "## defaults ($((SECONDS - start)) s wall, ingestion included)"
table runs/diginetica

# sknn with the settings chosen on the validation carved from the training sessions (bench/diginetica/README.md).
start=$SECONDS
dotnet run --no-build --project src/Shopcast.Cli -c Release -- run --data "$TRAIN" --format sessions --test "$TEST" \
  --models sknn --set sknn.k=200 --set sknn.idf_weighting=5 --out runs/diginetica-tuned --quiet
echo "## sknn tuned on validation: k=200, idf_weighting=5 ($((SECONDS - start)) s wall)"
table runs/diginetica-tuned

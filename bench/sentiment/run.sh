#!/usr/bin/env bash
# Review sentiment benchmarks (issue 5). Usage: bash bench/sentiment/run.sh [10cats] [books] [dvd] [womens] [uci]
# [predict] (all when none is named). Each writes runs/bench-sentiment-<name>/{metrics.json,report.md,plots/,models/}.
#   10cats:  online_shopping_10_cats, 62,774 Chinese reviews, 2 classes, seeded stratified 80/10/10
#   books, dvd: Blitzer et al. 2007, 2,000 English reviews per domain, in-domain; 70/10/20 so the test set is the
#            paper's 400 reviews (its 1,600 training reviews are our 1,400 + 200 for early stopping)
#   womens:  Women's clothing e-commerce reviews, 1-5 stars -> negative 1-2 / neutral 3 / positive 4-5, 80/10/10
#   uci:     UCI sentiment-labelled sentences (Amazon cells), 1,000 English sentences
#   predict: throughput of `shopcast predict sentiment` with the 10cats and womens bundles of best validation MacroF1 (run those first)
# MODELS_ZH / MODELS_EN override the model lists.
set -euo pipefail
MODELS_ZH="${MODELS_ZH:-linear,textcnn,bilstm,transformer}"
MODELS_EN="${MODELS_EN:-linear,textcnn,bilstm,transformer,minilm,minilm-ft}"
OUT_PREFIX=bench-sentiment- RUN_ARGS=(--task sentiment)
source "$(dirname "$0")/../lib.sh"
BLITZER="$DATA/en-sentiment-amazon-multidomain-blitzer/sorted_data_acl"
NAME=10cats; want "$@" && run "$DATA/zh-sentiment-online-shopping-10cats/online_shopping_10_cats.zip" --models "$MODELS_ZH"
NAME=books;  want "$@" && run "$BLITZER/books" --split 70/10/20 --models "$MODELS_EN"
NAME=dvd;    want "$@" && run "$BLITZER/dvd" --split 70/10/20 --models "$MODELS_EN"
NAME=womens; want "$@" && run "$DATA/en-reviews-womens-clothing-ecommerce/Womens Clothing E-Commerce Reviews.csv.zip" --models "$MODELS_EN"
NAME=uci;    want "$@" && run "$DATA/en-sentiment-uci-amazon-cells/amazon_cells_labelled.txt" --models "$MODELS_EN"
# Throughput of predict: every test-sized sample of real reviews, scored by the best bundle of a run, model loading excluded.
NAME=predict
if want "$@"; then
  for run in 10cats womens; do
    dir="runs/bench-sentiment-$run"
    [ -f "$dir/metrics.json" ] || { echo "skip predict $run: run 'bash bench/sentiment/run.sh $run' first"; continue; }
    best=$(python3 -c "import json;r=json.load(open('$dir/metrics.json'));print(max(r['results'],key=lambda m:m['validation_metrics'].get('MacroF1',-1))['model'])")
    sample="$dir/predict-sample.txt"
    python3 - "$dir" "$sample" <<'PY'
import json, sys, zipfile, csv, io, os
run, out = sys.argv[1], sys.argv[2]
src = json.load(open(os.path.join(run, "metrics.json")))["dataset"]["source"]
with zipfile.ZipFile(src) as z:
    name = next(n for n in z.namelist() if not n.startswith("__MACOSX"))
    rows = list(csv.reader(io.TextIOWrapper(z.open(name), encoding="utf-8-sig")))
col = rows[0].index("review") if "review" in rows[0] else rows[0].index("Review Text")
texts = [r[col].replace("\n", " ") for r in rows[1:] if len(r) > col and r[col].strip()][:5000]
open(out, "w", encoding="utf-8").write("\n".join(texts) + "\n")
PY
    echo "== predict $run with $best: $(wc -l < "$sample") reviews"
    "$SHOPCAST" predict sentiment --model "$dir/models/$best" --file "$sample" > "$dir/predict-sample.jsonl"
  done
fi
exit 0

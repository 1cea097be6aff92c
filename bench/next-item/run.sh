#!/usr/bin/env bash
# Next-item baselines on the real datasets in ../shared/data (full ranking unless stated).
# Usage: bash bench/next-item/run.sh [dataset ...]   (default: all)
# Writes runs/bench/<dataset>/{metrics.json,report.md} and prints each report's results table.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${SHOPCAST_DATA:-../shared/data}
[ -d "$DATA" ] || { echo "no datasets at $DATA (set SHOPCAST_DATA)"; exit 2; }
dotnet build src/Shopcast.Cli -c Release -v q -nologo >/dev/null
shopcast() { src/Shopcast.Cli/bin/Release/net10.0/linux-x64/shopcast "$@"; }

run() { # name, then shopcast run arguments
  local name=$1; shift
  local start=$SECONDS
  shopcast run --quiet --out "runs/bench/$name" "$@"
  echo "## $name ($((SECONDS - start)) s wall): shopcast run $*"
  sed -n '/^## Results (test)/,/^## Models/p' "runs/bench/$name/report.md" | sed '1d;$d'
}

sets=("$@")
has() { [ ${#sets[@]} -eq 0 ] || [[ " ${sets[*]} " == *" $1 "* ]]; }

has beauty && run beauty --data "$DATA/amazon-beauty-sports-s3rec/Beauty.txt" --models pop,itemknn,sknn
has sports && run sports --data "$DATA/amazon-beauty-sports-s3rec/Sports_and_Outdoors.txt" --models pop,itemknn,sknn
has diginetica && run diginetica --data "$DATA/diginetica-gcegnn/train_sessions.txt" --format sessions \
  --test "$DATA/diginetica-gcegnn/test_prefix_target.tsv" --models pop,itemknn,sknn
has yoochoose && run yoochoose --data "$DATA/yoochoose-rsc15-100k/yoochoose-clicks-100k_train_full.txt" --models pop,itemknn,sknn
has taobao && run taobao --data "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --models pop,itemknn,sknn --exclude-seen false
has games && run games-sampled --data "$DATA/amazon-games-sasrec/Video.txt" --models pop,itemknn --sampled 100
exit 0

#!/usr/bin/env bash
# Purchase intent and conversion benchmarks (issue 4). Usage: bash bench/purchase-intent/run.sh [uci] [taobao-intent]
# [taobao-conversion] [taobao-conversion-din] (all when none is named). Each writes runs/bench-<name>/{metrics.json,report.md,plots/}.
#   uci:               UCI online shoppers, stratified 5-fold, no resampling of the test folds
#   taobao-intent:     Taobao sessions cut into prefixes, sessions of the last day are the test set
#   taobao-conversion: Taobao next-day user-item purchase, the last day is the test set
#   taobao-conversion-din: the same with DIN alone (about 6 minutes per seed on two cores, 3 seeds)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="${SHOPCAST_DATA:-../shared/data}"
dotnet build src/Shopcast.Cli -c Release -v q -nologo >/dev/null
SHOPCAST=src/Shopcast.Cli/bin/Release/net10.0/linux-x64/shopcast
want() { [ $# -eq 0 ] || [[ " $* " == *" $NAME "* ]]; }
run() {
  local file="$1"; shift
  [ -f "$file" ] || { echo "skip $NAME: $file not found (set SHOPCAST_DATA)"; return; }
  echo "== $NAME: shopcast run --data $file $*"
  "$SHOPCAST" run --data "$file" --out "runs/bench-$NAME" "$@"
}
NAME=uci;               want "$@" && run "$DATA/uci-online-shoppers-intention/online_shoppers_intention.csv" --task purchase-intent --models lr,lgbm,mlp,deepfm,dcnv2
NAME=taobao-intent;     want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task purchase-intent --models lr,lgbm,mlp
NAME=taobao-conversion; want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task conversion --models lr,lgbm,mlp
NAME=taobao-conversion-din; want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task conversion --models din
exit 0

#!/usr/bin/env bash
# Purchase intent on the UCI online shoppers file: stratified 5-fold cross-validation of lr, lgbm and mlp
# (no resampling of the test folds). Writes runs/bench-purchase-intent/{metrics.json,report.md,plots/}.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="${SHOPCAST_DATA:-../shared/data}"
FILE="$DATA/uci-online-shoppers-intention/online_shoppers_intention.csv"
[ -f "$FILE" ] || { echo "skip: $FILE not found (set SHOPCAST_DATA)"; exit 0; }
dotnet build src/Shopcast.Cli -c Release -v q -nologo >/dev/null
src/Shopcast.Cli/bin/Release/net10.0/linux-x64/shopcast run --task purchase-intent \
  --data "$FILE" --models "${MODELS:-lr,lgbm,mlp}" --out runs/bench-purchase-intent "$@"

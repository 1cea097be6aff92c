# What the bench scripts share (source it from one): the built `shopcast`, the data folder, target selection and one
# `shopcast run` per target. Set NAME before each `want "$@" && run DATA_PATH ARGS...`; OUT_PREFIX names the run folder
# (runs/$OUT_PREFIX$NAME) and RUN_ARGS (an array) goes before the data, e.g. RUN_ARGS=(--task sentiment).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${SHOPCAST_DATA:-../shared/data}"
dotnet build src/Shopcast.Cli -c Release -v q -nologo >/dev/null
SHOPCAST=src/Shopcast.Cli/bin/Release/net10.0/linux-x64/shopcast
OUT_PREFIX="${OUT_PREFIX:-bench-}"
want() { [ $# -eq 0 ] || [[ " $* " == *" $NAME "* ]]; }
run() {
  local data="$1"; shift
  [ -e "$data" ] || { echo "skip $NAME: $data not found (set SHOPCAST_DATA)"; return; }
  echo "== $NAME: shopcast run ${RUN_ARGS[*]:+${RUN_ARGS[*]} }--data $data $*"
  "$SHOPCAST" run "${RUN_ARGS[@]}" --data "$data" --out "runs/$OUT_PREFIX$NAME" "$@"
}

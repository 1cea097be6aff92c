#!/usr/bin/env bash
# Purchase intent and conversion benchmarks (issue 4). Usage: bash bench/purchase-intent/run.sh [uci] [taobao-intent]
# [taobao-conversion] [taobao-conversion-din] [taobao-bounce] [taobao-preference] [beauty-preference] [taobao-dwell]
# [yoochoose-dwell] (all when none is named). Each writes runs/bench-<name>/{metrics.json,report.md,plots/}.
#   uci:               UCI online shoppers, stratified 5-fold, no resampling of the test folds
#   taobao-intent:     Taobao sessions cut into prefixes, sessions of the last day are the test set
#   taobao-conversion: Taobao next-day user-item purchase, the last day is the test set
#   taobao-conversion-din: the same with DIN alone (about 6 minutes per seed on two cores, 3 seeds)
#   taobao-bounce:     Taobao sessions at their first event: will the session end there? (last day = test)
#   taobao-preference, beauty-preference: the category of each shopper's next event (leave-one-out, top-k accuracy)
#   taobao-dwell, yoochoose-dwell: seconds on a viewed item and events per session (last day = test)
set -euo pipefail
RUN_ARGS=()
source "$(dirname "$0")/../lib.sh"
NAME=uci;               want "$@" && run "$DATA/uci-online-shoppers-intention/online_shoppers_intention.csv" --task purchase-intent --models lr,lgbm,mlp,deepfm,dcnv2
NAME=taobao-intent;     want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task purchase-intent --models lr,lgbm,mlp
NAME=taobao-conversion; want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task conversion --models lr,lgbm,mlp
NAME=taobao-conversion-din; want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task conversion --models din
NAME=taobao-bounce;     want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task bounce --models lr,lgbm,mlp
# 815 shoppers make few batches per epoch: smaller batches and more patience let the sequence models train.
NAME=taobao-preference; want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task preference --models pop,repeat,sknn,sasrec \
  --set sasrec.batch_size=32 --set sasrec.patience=20
NAME=beauty-preference; want "$@" && run "$DATA/amazon-beauty-sports-s3rec/Beauty.txt" --task preference --models pop,repeat,sknn,sasrec
NAME=taobao-dwell;      want "$@" && run "$DATA/taobao-userbehavior-815users/UserBehavior.csv" --task dwell --models linear,lgbm
NAME=yoochoose-dwell;   want "$@" && run "$DATA/yoochoose-rsc15-100k/yoochoose-clicks-100k_train_full.txt" --task dwell --models linear,lgbm
exit 0

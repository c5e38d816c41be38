#!/usr/bin/env bash
# The several-instances benchmark of docs/BENCHMARKS.md: one instance, or two with every
# delivery across the bus (sends through A, sockets on B), on a fresh PostgreSQL database
# and a Redis of its own on port 6390. OUTAGE=N stops that Redis for N s mid-run.
# usage: bench/scripts/cluster.sh single|cross RATES [a|b: whose CPU is reported]
set -u
ulimit -n 19500
MODE=$1; RATES=$2; WHO=${3:-b}; OUTAGE=${OUTAGE:-}
BIN=${TEAHOUSE_BIN:-target/release/teahouse}
BENCH=${TEAHOUSE_BENCH:-target/release/teahouse-bench}
psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS teahouse_bench_cluster" -c "CREATE DATABASE teahouse_bench_cluster" >/dev/null 2>&1
DB=postgres://postgres@127.0.0.1:5432/teahouse_bench_cluster
dir=$(mktemp -d)
redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
rpid=$!
sleep 0.3
common="TEAHOUSE_DATA_DIR=$dir TEAHOUSE_LOG=warn TEAHOUSE_LIMITS__ENABLED=false TEAHOUSE_STATIC_DIR=$dir/none TEAHOUSE_JWT_SECRET=bench-secret-bench-secret-bench-secret-1234 DATABASE_URL=$DB"
if [ "$MODE" = single ]; then
  env $common TEAHOUSE_BIND=127.0.0.1:8090 $BIN serve > $dir/a.log 2>&1 & a=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:8090/api/v1/health >/dev/null 2>&1 && break; sleep 0.1; done
  pid=$a; extra=""
else
  env $common TEAHOUSE_REDIS_URL=redis://127.0.0.1:6390/ TEAHOUSE_BIND=127.0.0.1:8090 $BIN serve > $dir/a.log 2>&1 & a=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:8090/api/v1/health >/dev/null 2>&1 && break; sleep 0.1; done
  env $common TEAHOUSE_REDIS_URL=redis://127.0.0.1:6390/ TEAHOUSE_BIND=127.0.0.1:8091 $BIN serve > $dir/b.log 2>&1 & b=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:8091/api/v1/health >/dev/null 2>&1 && break; sleep 0.1; done
  if [ "$WHO" = a ]; then pid=$a; else pid=$b; fi
  extra="--socket-url http://127.0.0.1:8091"
fi
if [ -n "$OUTAGE" ]; then
  # Redis goes away for OUTAGE seconds, 4 s into the measured run (after ~setup).
  ( while ! grep -q "fanout:" $dir/bench.out 2>/dev/null; do sleep 0.1; done; sleep 4.5
    kill $rpid; echo "redis down $(date +%T.%N)" >> $dir/events; sleep $OUTAGE
    redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
    echo "redis up $(date +%T.%N)" >> $dir/events ) &
fi
echo "== $MODE (CPU of $WHO)"
$BENCH --url http://127.0.0.1:8090 $extra --pid $pid fanout --rooms 10 --members 100 --rates $RATES --seconds 8 > $dir/bench.out 2>&1
grep -E "fanout [0-9]" $dir/bench.out | sed -E 's/\(n = [0-9]+\); //'
[ -f $dir/events ] && cat $dir/events && grep -h "subscribed\|lost\|gone" $dir/*.log | tail -4
kill $a ${b:-} 2>/dev/null; wait $a ${b:-} 2>/dev/null
pkill -f "redis-server 127.0.0.1:6390" ; kill $rpid 2>/dev/null
rm -rf $dir

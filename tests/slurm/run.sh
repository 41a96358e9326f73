#!/usr/bin/env bash
# A real Slurm on this one machine: `callsim slurm sweep` of the reopening study in 4 shards,
# submitted as a job array and merged by a job that waits for it, must give the unsharded
# sweep's sweep.json byte for byte.
#
#   bash tests/slurm/run.sh [CALLSIM]    (default target/release/callsim; needs root)
#
# Installs Debian's slurm-wlm and munge when absent, starts munged, slurmctld and slurmd on a
# one-node configuration of its own (SLURM_CONF, in a temporary directory; /etc/slurm is not
# touched), and stops them at the end, also on failure. About a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
callsim=$(readlink -f "${1:-target/release/callsim}")
[ -x "$callsim" ] || { echo "slurm test: no callsim binary at $callsim; build it first" >&2; exit 2; }
if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurm-wlm munge > /dev/null
fi

root=$(mktemp -d /tmp/callsim-slurm.XXXXXX)
chmod 755 "$root"
pids=()
stop() {
    # munged itself first (runuser, its parent, then ends), then the Slurm daemons.
    [ -f "$root/munge/munged.pid" ] && kill "$(cat "$root/munge/munged.pid")" 2> /dev/null || true
    for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
    if [ "${passed:-}" = yes ]; then rm -rf "$root"; else echo "slurm test: its files are in $root" >&2; fi
}
trap stop EXIT

# munge: a key of its own and a socket in $root, so a munged already running is left alone.
mkdir -p "$root/munge"
chown munge: "$root/munge" 2> /dev/null || true
dd if=/dev/urandom bs=1 count=1024 of="$root/munge/munge.key" status=none
chown munge: "$root/munge/munge.key" 2> /dev/null || true
chmod 400 "$root/munge/munge.key"
socket="$root/munge/munge.socket"
runuser -u munge -- munged --foreground --key-file="$root/munge/munge.key" --socket="$socket" \
    --pid-file="$root/munge/munged.pid" --log-file="$root/munge/munged.log" --seed-file="$root/munge/seed" \
    > "$root/munge/munged.out" 2>&1 &
pids+=($!)

host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 3 / 4 ))
export SLURM_CONF="$root/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=callsim-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$root/state
SlurmdSpoolDir=$root/spool
SlurmctldPidFile=$root/slurmctld.pid
SlurmdPidFile=$root/slurmd.pid
SlurmctldLogFile=$root/slurmctld.log
SlurmdLogFile=$root/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mkdir -p "$root/state" "$root/spool"
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.2; done
slurmctld -D -i > "$root/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D > "$root/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
    state=$(sinfo -h -n "$host" -o %T 2> /dev/null || true)
    [ "$state" = idle ] && break
    sleep 1
done
if [ "$state" != idle ]; then
    echo "slurm test: the node did not come up (state: ${state:-none})" >&2
    tail -n 20 "$root"/slurmctld.log "$root"/slurmd.log "$root"/*.out >&2 || true
    exit 1
fi

scenario=scenarios/fpa-reopening-sweep.json
"$callsim" slurm sweep "$scenario" --shards 4 --out "$root/study" > "$root/study.sh"
submitted=$(bash "$root/study.sh")
echo "$submitted"
merge=$(echo "$submitted" | sed -n 's/.*merge as job \([0-9]*\).*/\1/p')
[ -n "$merge" ] || { echo "slurm test: no merge job in: $submitted" >&2; exit 1; }
# The unsharded sweep meanwhile (the jobs are queued on the node's cores).
"$callsim" sweep "$scenario" --out "$root/whole" > /dev/null
for _ in $(seq 600); do
    state=$(scontrol show job "$merge" 2> /dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case "$state" in COMPLETED | FAILED | CANCELLED | TIMEOUT | OUT_OF_MEMORY | NODE_FAIL) break ;; esac
    # A merge that can never run (a shard failed) stays pending for its dependency.
    if scontrol show job "$merge" 2> /dev/null | grep -q "Reason=DependencyNeverSatisfied"; then
        state=DEPENDENCY_NEVER_SATISFIED
        break
    fi
    sleep 1
done
if [ "$state" != COMPLETED ]; then
    echo "slurm test: the merge job ended $state" >&2
    tail -n 20 "$root"/study/logs/* >&2 || true
    exit 1
fi
cmp "$root/whole/sweep.json" "$root/study/result/sweep.json"
cmp "$root/whole/sweep.csv" "$root/study/result/sweep.csv"
shards=$(ls -d "$root"/study/shard-* | wc -l)
echo "slurm test: $shards shards on Slurm merged into the unsharded sweep.json, byte for byte"
passed=yes

#!/usr/bin/env bash
# lsgd-spec gate for a user's optimizer plug-in (see ci/README.md for the plug-in contract).
#
#   ci/gate.sh path/to/subject.ts [--profile ci|default] [--seed S]
#   ci/gate.sh --cmd "python3 my_optimizer.py" [--profile ci|default] [--seed S]   (any language: subprocess protocol)
#
# 1. lsgd-spec check --subject <module>: every theorem property and conformance check on YOUR optimizers
#    (capabilities the module does not export are reported as not applicable);
# 2. lsgd-spec mutants: every planted bug must be killed by the suite (proves the installed suite has teeth).
# It installs nothing: run it from the installed package (node_modules/lsgd-spec/ci/gate.sh, compiled, plain node)
# or from a checkout where `npm ci` has run. A .ts module needs tsx in your project; a .js/.mjs one needs nothing.
# Exit status: 0 iff both pass; 1 if a check fails; 2 on a usage or input error. The seed is printed: rerun with
# LSGD_SEED=<seed> (or --seed) to replay a failure bit for bit.
#
# Environment: LSGD_SPEC_DIR (the lsgd-spec checkout or node_modules/lsgd-spec; default: this script's parent
# directory), LSGD_SEED, LSGD_SKIP_MUTANTS=1 (run step 2 only).
set -euo pipefail

usage() { echo "usage: ci/gate.sh <subject module .ts> | --cmd COMMAND [--profile ci|default] [--seed S]" >&2; exit 2; }

[ $# -ge 1 ] || usage
cmd=
if [ "$1" = --cmd ]; then
  [ $# -ge 2 ] && [ -n "$2" ] || usage
  cmd=$2; subject=; shift 2
else
  subject=$1; shift
fi
profile=ci
seed=${LSGD_SEED:-}
while [ $# -gt 0 ]; do
  case $1 in
    --profile) [ $# -ge 2 ] || usage; profile=$2; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    *) echo "gate.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
case $profile in ci|default) ;; *) echo "gate.sh: --profile must be ci or default, got '$profile'" >&2; exit 2 ;; esac
if [ -z "$cmd" ]; then
  [ -f "$subject" ] || { echo "gate.sh: subject module '$subject' not found" >&2; exit 2; }
  subject_abs=$(cd "$(dirname "$subject")" && pwd)/$(basename "$subject")
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
spec_dir=${LSGD_SPEC_DIR:-$(dirname "$here")}
[ -f "$spec_dir/bin/lsgd-spec.js" ] || { echo "gate.sh: no lsgd-spec at '$spec_dir' (set LSGD_SPEC_DIR)" >&2; exit 2; }
command -v node >/dev/null || { echo "gate.sh: node (>= 20) is required" >&2; exit 2; }

# a source checkout runs through tsx (a development dependency): it must have been installed with npm ci
if [ -f "$spec_dir/src/cli/main.ts" ] && [ ! -d "$spec_dir/node_modules/tsx" ]; then
  echo "gate.sh: $spec_dir is a source checkout without its dependencies: run 'npm ci' there first" >&2; exit 2
fi

# one seed for both steps, so the whole gate replays
if [ -z "$seed" ]; then seed=$(( $(date +%s) % 2147483647 )); fi
export LSGD_SEED=$seed
if [ -n "$cmd" ]; then what="--cmd '$cmd'"; else what=$subject; fi
echo "gate.sh: seed $seed, profile $profile (replay: LSGD_SEED=$seed ci/gate.sh $what --profile $profile)" >&2

lsgd() { node "$spec_dir/bin/lsgd-spec.js" "$@"; }
# the gate's exit status is the worst of its steps' (0 pass, 1 a theorem or mutant failed, 2 usage or input error)
status=0
step() { local rc=0; lsgd "$@" || rc=$?; if [ "$rc" -gt "$status" ]; then status=$rc; fi; }

if [ -n "$cmd" ]; then
  # the command runs in the caller's directory (its relative paths stay valid)
  echo "== lsgd-spec check --subject-cmd '$cmd'" >&2
  step check --subject-cmd "$cmd" --profile "$profile" --seed "$seed"
else
  echo "== lsgd-spec check --subject $subject" >&2
  step check --subject "$subject_abs" --profile "$profile" --seed "$seed"
fi
if [ "${LSGD_SKIP_MUTANTS:-0}" != 1 ]; then
  echo "== lsgd-spec mutants" >&2
  step mutants --profile "$profile" --seed "$seed"
fi
exit $status

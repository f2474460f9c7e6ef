#!/usr/bin/env bash
# Mutation testing of the math modules with cargo-mutants (outside CI).
#
#   scripts/mutants.sh                 every module below, one after the other
#   scripts/mutants.sh game transport  only these modules (variants: all its
#                                      files; variants/ebgan: one of them)
#   scripts/mutants.sh --list          the modules, their files and test targets
#   MUTANTS_SHARD=0/4 scripts/mutants.sh critic   one shard of a module (k/n, k from 0)
#   MUTANTS_TARGET_DIR=DIR, MUTANTS_OUT=DIR        where it builds, where it reports
#   MUTANTS_ITERATE=1 scripts/mutants.sh variants/fgan  skip the mutants an earlier run
#                                      in the same MUTANTS_OUT caught (--iterate)
#   MUTANTS_RE='in (solve|row_min)$' scripts/mutants.sh transport
#                                      only the mutants matching a regex (--re)
#
# Needs `cargo install cargo-mutants --locked` and jq. Each module's mutants
# build and run only the test targets that cover it (below), in the cheap
# `mutants` profile of Cargo.toml, one job at a time and niced, so that it
# runs beside other builds on a 2-core machine. The results go to
# mutants.out/<module>/ (outcomes.json, missed.txt, caught.txt, ...).
#
# Every mutant must be caught (a test fails), unviable (does not build) or
# listed as equivalent, with its reason, in scripts/mutants-equivalent.txt:
# the script turns each of that file's regexes into --exclude-re. A mutant
# that makes a test hang past the timeout (an endless loop) counts as
# caught: the test run fails. It exits 1 when a mutant survives (missed),
# or when an entry of the equivalents file matches no mutant (stale after
# an edit: re-check it).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p "${MUTANTS_OUT:-mutants.out}"

EQUIVALENTS=scripts/mutants-equivalent.txt
OUT=${MUTANTS_OUT:-mutants.out}
# A target directory of its own, kept between runs (the dependencies stay
# built). Not the one you build in meanwhile: cargo finds the mutated copy's
# library fresh there (same relative paths), and your tests would run it.
export CARGO_TARGET_DIR=${MUTANTS_TARGET_DIR:-$PWD/target/mutants-build}

# module | files (globs, space-separated) | cargo test arguments
MODULES=(
  "measure|src/measure.rs|--test game --test divergence --test robustness"
  "divergence|src/divergence/*.rs|--lib --test divergence --test fast_paths --test speed_accuracy --test robustness --test fit"
  "game|src/game.rs|--test game --test game_edges --test divergence --test robustness --test fgan"
  "transport|src/transport/*.rs|--lib --test emd --test transport --test transport_audit --test certificate"
  # variants one file at a time, each with the tests of its claim: building
  # all nine test targets for every mutant took about 16 s a mutant.
  "variants/affine|src/variants/affine.rs|--test slope --test lsgan"
  "variants/conditional|src/variants/conditional.rs|--test conditional"
  "variants/ebgan|src/variants/ebgan.rs|--test ebgan"
  "variants/fgan|src/variants/fgan.rs|--test fgan"
  "variants/lsgan|src/variants/lsgan.rs|--test lsgan --test slope"
  "variants/patchgan|src/variants/patchgan.rs|--test patchgan"
  "variants/wgan|src/variants/wgan.rs|--test wgan --test robustness --test segments"
  "dynamics|src/dynamics/*.rs|--lib --test dynamics"
  "mlp|src/mlp.rs|--test mlp --test training --test training_audit --test algorithm1 --test wgan"
  "critic|src/critic.rs|--test wgan --test samples --test critic"
)

if [[ ${1:-} == --list ]]; then
  printf '%s\n' "${MODULES[@]}" | column -t -s '|'
  exit 0
fi

# The equivalents file: blocks of one or more `#` reason lines followed by
# one regex line; every regex must have a reason.
exclude_args=()
regexes=()
reason=""
while IFS= read -r line || [[ -n $line ]]; do
  if [[ -z ${line// /} ]]; then
    reason=""
  elif [[ $line == \#* ]]; then
    reason+="$line"
  else
    if [[ -z $reason ]]; then
      echo "$EQUIVALENTS: '$line' has no reason (a # line above it)" >&2
      exit 2
    fi
    exclude_args+=(--exclude-re "$line")
    regexes+=("$line")
  fi
done < "$EQUIVALENTS"

selected=("$@")
status=0
summary=()
start_all=$(date +%s)
for entry in "${MODULES[@]}"; do
  IFS='|' read -r name files tests <<< "$entry"
  # A module's name selects it and its parts (`variants` selects `variants/ebgan`, ...).
  if (( ${#selected[@]} )) && [[ ! " ${selected[*]} " == *" $name "* && ! " ${selected[*]} " == *" ${name%%/*} "* ]]; then
    continue
  fi
  file_args=()
  for f in $files; do file_args+=(-f "$f"); done
  # --cargo-arg, not `-- ARGS`: arguments after `--` reach only the test
  # run, and the build (`cargo test --no-run`) would build every target.
  target_args=()
  for t in $tests; do target_args+=(--cargo-arg="$t"); done
  # Mutants the equivalents file removes from this module.
  all=$(cargo mutants --list "${file_args[@]}" | wc -l)
  kept=$(cargo mutants --list "${file_args[@]}" "${exclude_args[@]}" | wc -l)
  shard=()
  [[ -n ${MUTANTS_SHARD:-} ]] && shard=(--shard "$MUTANTS_SHARD")
  [[ -n ${MUTANTS_ITERATE:-} ]] && shard+=(--iterate)
  [[ -n ${MUTANTS_RE:-} ]] && shard+=(--re "$MUTANTS_RE")
  echo "== $name: $files ($all mutants, $((all - kept)) equivalent), tests: $tests"
  start=$(date +%s)
  mkdir -p "$OUT/$name"
  nice -n 5 cargo mutants "${file_args[@]}" "${exclude_args[@]}" "${shard[@]}" \
    "${target_args[@]}" --package gan-theory --profile mutants --jobs 1 \
    --minimum-test-timeout 60 --build-timeout 900 \
    --output "$OUT/$name" --no-shuffle --colors never || rc=$?
  # cargo-mutants exits 2 when mutants were missed, 3 when some timed out
  # (judged below); anything else (4: the unmutated tree fails) is an error.
  if [[ ${rc:-0} != 0 && ${rc:-0} != 2 && ${rc:-0} != 3 ]]; then
    echo "== $name: cargo mutants exited with $rc" >&2
    status=1
  fi
  rc=0
  secs=$(( $(date +%s) - start ))
  json="$OUT/$name/mutants.out/outcomes.json"
  counts=$(jq -r '[.outcomes[] | select(.scenario != "Baseline") | .summary]
      | "tested \(length), caught \(map(select(. == "CaughtMutant")) | length), unviable \(map(select(. == "Unviable")) | length), timeouts \(map(select(. == "Timeout")) | length), missed \(map(select(. == "MissedMutant")) | length)"' "$json")
  summary+=("$name: $counts, equivalent $((all - kept)), ${secs}s")
  if [[ -s $OUT/$name/mutants.out/missed.txt ]]; then
    status=1
  fi
done

# Stale entries: a regex that matches no mutant of any module. (Matched
# here with grep -P against the whole list: cargo-mutants' own --re keeps
# its "delete field" mutants whatever the regex, so its output is never
# empty.)
all_mutants=$(cargo mutants --list -f 'src/**/*.rs')
for re in "${regexes[@]}"; do
  if ! grep -qP -- "$re" <<< "$all_mutants"; then
    echo "$EQUIVALENTS: '$re' matches no mutant (stale?)" >&2
    status=1
  fi
done

echo "== summary ($(( $(date +%s) - start_all ))s)"
printf '%s\n' "${summary[@]}"
exit $status

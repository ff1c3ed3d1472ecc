#!/usr/bin/env bash
# Build kb with profile-guided optimisation (PGO): the build releases ship.
#
#   scripts/pgo_build.sh [--target TRIPLE]
#
# 1. builds an instrumented kb (target/pgo/instrumented),
# 2. runs it over a generated vault (`gen_corpus.py --notes 1500 --seed 11`, a seed no benchmark
#    uses), the sample notes and the rule fixtures: check in each format, export, stats,
# 3. merges the profiles with llvm-profdata and builds kb again with them (target/pgo/release).
#
# Prints the path of the optimised binary on standard output; progress goes to standard error.
# Its findings and exports are the same as a plain `cargo build --release` binary's (the bench
# script compares them): only the machine code's layout and inlining change. About 1.6× a plain
# release build, plus half a minute of training.
#
# Needs python3 and llvm-profdata of the toolchain's own LLVM: the `llvm-tools` rustup
# component, added here when missing (network at install time only). Exits 3 when it cannot be
# had, so callers can fall back to a plain build.

set -euo pipefail

die() { printf 'pgo_build.sh: error: %s\n' "$*" >&2; exit "${2:-2}"; }
say() { printf 'pgo_build.sh: %s\n' "$*" >&2; }

TARGET=""
while (($#)); do
    case "$1" in
        --target)
            (($# >= 2)) || die "--target needs a value"
            TARGET="$2"
            shift
            ;;
        --target=*) TARGET="${1#--target=}" ;;
        -h | --help)
            sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
            exit 0
            ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v cargo > /dev/null || die "cargo is required"
PYTHON=python3
command -v python3 > /dev/null || PYTHON=python
command -v "$PYTHON" > /dev/null || die "python3 is required (it generates the training vault)"

host="$(rustc -vV | sed -n 's/^host: //p')"
exe=kb
case "${TARGET:-$host}" in *windows*) exe=kb.exe ;; esac
profdata() {
    local bin
    bin="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
    [[ "$host" == *windows* ]] && bin="$bin.exe"
    [[ -x "$bin" ]] && printf '%s\n' "$bin"
}
PROFDATA="$(profdata || true)"
if [[ -z "$PROFDATA" ]]; then
    say "adding the llvm-tools rustup component (for llvm-profdata)"
    rustup component add llvm-tools >&2 || true
    PROFDATA="$(profdata || true)"
fi
[[ -n "$PROFDATA" ]] || die "llvm-profdata not found: install the llvm-tools rustup component" 3

WORK="$ROOT/target/pgo"
PROFILES="$WORK/profiles"
rm -rf "$PROFILES" "$WORK/train"
mkdir -p "$PROFILES" "$WORK/train"
# rustc on Windows reads Windows paths, not Git Bash's /c/… ones.
native() { if command -v cygpath > /dev/null; then cygpath -m "$1"; else printf '%s\n' "$1"; fi; }
target_args=()
out_dir=release
if [[ -n "$TARGET" ]]; then
    target_args=(--target "$TARGET")
    out_dir="$TARGET/release"
fi

say "building the instrumented kb"
RUSTFLAGS="-Cprofile-generate=$(native "$PROFILES")" cargo build --release --locked -p kb-cli \
    --target-dir "$WORK/instrumented" ${target_args[@]+"${target_args[@]}"} >&2
trained="$WORK/instrumented/$out_dir/$exe"

say "training on a generated vault, the sample notes and the rule fixtures"
"$PYTHON" scripts/gen_corpus.py --notes 1500 --seed 11 --out "$WORK/train/vault" > /dev/null
for vault in "$WORK/train/vault" notes fixtures; do
    # Exit status 1 means findings, which these vaults have on purpose.
    for format in json human sarif github; do
        "$trained" check "$vault" --format "$format" --color never > /dev/null 2>&1 || true
    done
    for format in json csv anki; do
        "$trained" export "$vault" --format "$format" > /dev/null 2>&1 || true
    done
    "$trained" stats "$vault" > /dev/null 2>&1 || true
done
ls "$PROFILES"/*.profraw > /dev/null 2>&1 || die "the instrumented kb wrote no profile"
"$PROFDATA" merge -o "$WORK/kb.profdata" "$PROFILES" >&2

say "building kb with the profile"
RUSTFLAGS="-Cprofile-use=$(native "$WORK/kb.profdata")" cargo build --release --locked -p kb-cli \
    --target-dir "$WORK/release" ${target_args[@]+"${target_args[@]}"} >&2
built="$WORK/release/$out_dir/$exe"
[[ -x "$built" ]] || die "cargo build did not produce $built"
printf '%s\n' "$built"

#!/usr/bin/env bash
# Reproducible benchmark of kb against the reading limit (rg) and peer tools.
#
#   scripts/bench.sh [--quick] [--runs N] [--out FILE] [--slow-limit S] [--no-install] [--no-pgo]
#
# Run from anywhere; it works in the repository root. Builds kb as releases are built
# (`scripts/pgo_build.sh`, profile-guided) and as `cargo build --release -p kb-cli` builds it,
# times both (kb-check is the release build, kb-check-plain the other) and checks that their
# reports are the same, unless KB=/path/to/kb is set. Installs the peers into
# .bench/tools (gitignored) when they are missing, generates the corpora under .bench/corpora,
# times every tool round-robin and prints one markdown table per corpus (also written to FILE
# with --out). Exits non-zero when kb's KB201 findings on a generated corpus do not match the
# misspellings the generator planted (after printing the tables), or when kb itself fails.
#
# Options:
#   --quick         only the 2,000-note corpus and the real corpus x6 (to try the script)
#   --runs N        timed runs per tool and corpus (default 3)
#   --out FILE      also write the markdown report to FILE
#   --slow-limit S  a peer whose first run took more than S seconds is not repeated (default 60)
#   --no-install    do not install missing peers (they are reported as "not installed")
#   --no-pgo        time only the plain `cargo build --release` binary
#
# Environment:
#   KB=/path/to/kb  use this kb binary instead of building target/release/kb
#
# Peers that cannot be installed are reported as "not installed"; they never fail the script.
# Network is used only by the installs (cargo, npm, apt-get).

set -euo pipefail
export LC_ALL=C

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }
die() { printf 'bench.sh: error: %s\n' "$*" >&2; exit 2; }
say() { printf 'bench.sh: %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------------------------

QUICK=0
RUNS=3
OUT=""
SLOW_LIMIT=60
INSTALL=1
PGO=1
while (($#)); do
    case "$1" in
        --quick) QUICK=1 ;;
        --runs)
            (($# >= 2)) || die "--runs needs a value"
            RUNS="$2"
            shift
            ;;
        --runs=*) RUNS="${1#--runs=}" ;;
        --out)
            (($# >= 2)) || die "--out needs a value"
            OUT="$2"
            shift
            ;;
        --out=*) OUT="${1#--out=}" ;;
        --slow-limit)
            (($# >= 2)) || die "--slow-limit needs a value"
            SLOW_LIMIT="$2"
            shift
            ;;
        --slow-limit=*) SLOW_LIMIT="${1#--slow-limit=}" ;;
        --no-install) INSTALL=0 ;;
        --no-pgo) PGO=0 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"
[[ "$SLOW_LIMIT" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--slow-limit must be a number of seconds"
# Resolve --out against the caller's directory before changing directory.
if [[ -n "$OUT" && "$OUT" != /* ]]; then
    OUT="$PWD/$OUT"
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="$ROOT/.bench"
TOOLS="$BENCH/tools"
CORPORA="$BENCH/corpora"
mkdir -p "$TOOLS" "$CORPORA"

WORK="$(mktemp -d /tmp/kb-bench.XXXXXX)"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Prerequisites: apt packages (time, ripgrep), kb, peers
# ---------------------------------------------------------------------------------------------

# apt_install PACKAGE: install a Debian package; returns non-zero when that is not possible.
APT_UPDATED=0
apt_install() {
    local pkg="$1"
    local -a sudo=()
    command -v apt-get > /dev/null || return 1
    if ((EUID != 0)); then
        if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
            sudo=(sudo -n)
        else
            return 1
        fi
    fi
    say "installing $pkg with apt-get"
    if "${sudo[@]}" apt-get install -y "$pkg" >&2; then
        return 0
    fi
    if ((APT_UPDATED == 0)); then
        APT_UPDATED=1
        "${sudo[@]}" apt-get update >&2 || return 1
        "${sudo[@]}" apt-get install -y "$pkg" >&2 || return 1
        return 0
    fi
    return 1
}

if [[ ! -x /usr/bin/time ]]; then
    apt_install time || true
fi
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required: apt-get install time"
command -v python3 > /dev/null || die "python3 is required (scripts/gen_corpus.py)"

RG=""
if ! command -v rg > /dev/null && ((INSTALL)); then
    apt_install ripgrep || say "could not install ripgrep: rg is reported as not installed"
fi
if command -v rg > /dev/null; then
    RG="$(command -v rg)"
fi

# KB_PLAIN: the plain release build, timed beside the profile-guided one (empty: not timed).
KB_PLAIN=""
if [[ -n "${KB:-}" ]]; then
    [[ -x "$KB" ]] || die "KB=$KB is not an executable file"
    KB_BIN="$(cd "$(dirname "$KB")" && pwd)/$(basename "$KB")"
    KB_ORIGIN="KB=$KB (not built by this script)"
else
    command -v cargo > /dev/null || die "cargo is required to build kb (or set KB=/path/to/kb)"
    say "building kb: cargo build --release -p kb-cli"
    cargo build --release -p kb-cli >&2
    KB_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/kb"
    [[ -x "$KB_BIN" ]] || die "cargo build did not produce $KB_BIN"
    at="at $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)"
    if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2> /dev/null)" ]]; then
        at="$at (with uncommitted changes)"
    fi
    KB_ORIGIN="cargo build --release -p kb-cli $at"
    if ((PGO)); then
        say "building kb as releases are: scripts/pgo_build.sh"
        if pgo_bin="$("$ROOT/scripts/pgo_build.sh")" && [[ -x "$pgo_bin" ]]; then
            KB_PLAIN="$KB_BIN"
            KB_BIN="$pgo_bin"
            KB_ORIGIN="scripts/pgo_build.sh (profile-guided, as releases are built) $at;"
            KB_ORIGIN+=" kb-check-plain: cargo build --release -p kb-cli"
        else
            say "the profile-guided build failed: timing the plain build only"
            KB_ORIGIN="$KB_ORIGIN (the profile-guided build failed)"
        fi
    fi
fi

NPM_DIR="$TOOLS/npm"
NPM_BIN="$NPM_DIR/node_modules/.bin"
DICT_AWS="$NPM_DIR/node_modules/@cspell/dict-aws/cspell-ext.json"
CARGO_ROOT="$TOOLS/cargo"

npm_tools_present() {
    [[ -x "$NPM_BIN/markdownlint-cli2" && -x "$NPM_BIN/cspell" && -f "$DICT_AWS" ]]
}
if ((INSTALL)) && ! npm_tools_present; then
    if command -v npm > /dev/null; then
        say "installing markdownlint-cli2, cspell and @cspell/dict-aws into $NPM_DIR"
        npm install --prefix "$NPM_DIR" markdownlint-cli2@0.22.1 cspell@9 @cspell/dict-aws >&2 ||
            say "npm install failed: the missing npm peers are reported as not installed"
    else
        say "npm not found: markdownlint-cli2 and cspell are reported as not installed"
    fi
fi

# cargo_peer CRATE BINARY: install CRATE into .bench/tools/cargo unless BINARY is there.
cargo_peer() {
    local crate="$1" bin="$2"
    if [[ -x "$CARGO_ROOT/bin/$bin" ]] || ((INSTALL == 0)); then
        return 0
    fi
    if ! command -v cargo > /dev/null; then
        say "cargo not found: $bin is reported as not installed"
        return 0
    fi
    say "installing $crate: cargo install --locked --root $CARGO_ROOT $crate"
    cargo install --locked --root "$CARGO_ROOT" "$crate" >&2 ||
        say "cargo install $crate failed: $bin is reported as not installed"
}
cargo_peer rumdl rumdl
cargo_peer typos-cli typos

MDL=""
CSPELL=""
RUMDL=""
TYPOS=""
if command -v node > /dev/null; then
    [[ -x "$NPM_BIN/markdownlint-cli2" ]] && MDL="$NPM_BIN/markdownlint-cli2"
    [[ -x "$NPM_BIN/cspell" && -f "$DICT_AWS" ]] && CSPELL="$NPM_BIN/cspell"
fi
[[ -x "$CARGO_ROOT/bin/rumdl" ]] && RUMDL="$CARGO_ROOT/bin/rumdl"
[[ -x "$CARGO_ROOT/bin/typos" ]] && TYPOS="$CARGO_ROOT/bin/typos"

# cspell configuration: the default configuration plus the AWS dictionary, imported by path.
CSPELL_CONFIG="$WORK/cspell.json"
printf '{\n  "version": "0.2",\n  "language": "en",\n  "import": ["%s"]\n}\n' "$DICT_AWS" > "$CSPELL_CONFIG"
if [[ -n "$CSPELL" ]]; then
    # Check that this configuration (alone, without cspell's defaults) loads the dictionary:
    # `cloudfront` is in the AWS dictionary and in no other dictionary.
    trace="$(cd "$WORK" && "$CSPELL" trace --no-default-configuration --config "$CSPELL_CONFIG" \
        --only-found --dictionary-path full --language-id markdown cloudfront 2> /dev/null)" || true
    if [[ "$trace" != *"$(dirname "$DICT_AWS")/"* ]]; then
        say "cspell does not load @cspell/dict-aws through $CSPELL_CONFIG: cspell is reported as not installed"
        CSPELL=""
    fi
fi

# first_line COMMAND...: the first line COMMAND prints (no pipe into head: no broken pipes).
first_line() {
    local out
    out="$("$@" 2> /dev/null)" || true
    printf '%s' "${out%%$'\n'*}"
}

# tool_version TOOL: one line naming the version of TOOL.
tool_version() {
    case "$1" in
        rg) first_line "$RG" --version ;;
        kb) first_line "$KB_BIN" --version ;;
        rumdl) first_line "$RUMDL" --version ;;
        typos) first_line "$TYPOS" --version ;;
        markdownlint-cli2) first_line "$MDL" --help ;;
        cspell) printf 'cspell %s, @cspell/dict-aws %s' "$("$CSPELL" --version)" \
            "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
                "$(dirname "$DICT_AWS")/package.json")" ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# Tools: names, availability, command lines
# ---------------------------------------------------------------------------------------------

ALL_TOOLS=(rg kb-check kb-export rumdl typos markdownlint-cli2 cspell)
if [[ -n "$KB_PLAIN" ]]; then
    ALL_TOOLS=(rg kb-check kb-check-plain kb-export rumdl typos markdownlint-cli2 cspell)
fi

# tool_path TOOL: the executable the tool runs, empty when not installed.
tool_path() {
    case "$1" in
        rg) printf '%s' "$RG" ;;
        kb-check | kb-export) printf '%s' "$KB_BIN" ;;
        kb-check-plain) printf '%s' "$KB_PLAIN" ;;
        rumdl) printf '%s' "$RUMDL" ;;
        typos) printf '%s' "$TYPOS" ;;
        markdownlint-cli2) printf '%s' "$MDL" ;;
        cspell) printf '%s' "$CSPELL" ;;
    esac
}

# is_peer TOOL: peers may be run once when slow; rg and kb always run --runs times.
is_peer() {
    case "$1" in
        rg | kb-*) return 1 ;;
        *) return 0 ;;
    esac
}

# ok_status TOOL STATUS: whether STATUS is a normal exit status for TOOL (findings included).
ok_status() {
    local tool="$1" status="$2"
    case "$tool" in
        rg | kb-*) ((status == 0)) ;;
        rumdl | markdownlint-cli2 | cspell) ((status == 0 || status == 1)) ;;
        typos) ((status == 0 || status == 2)) ;;
        *) return 1 ;;
    esac
}

# tool_cmd TOOL DIR: set the array CMD to TOOL's command line on corpus DIR (an absolute path).
# Every tool reads exactly the *.md files of DIR (the generated corpora also hold planted.tsv and
# PNG images). Standard output goes to /dev/null (kb export writes its file with -o).
tool_cmd() {
    local tool="$1" dir="$2"
    case "$tool" in
        rg) CMD=("$RG" -c '^#' -g '*.md' "$dir") ;;
        kb-check) CMD=("$KB_BIN" check "$dir" --format json --exit-zero) ;;
        kb-check-plain) CMD=("$KB_PLAIN" check "$dir" --format json --exit-zero) ;;
        kb-export) CMD=("$KB_BIN" export "$dir" --format json -o "$WORK/export.json") ;;
        rumdl) CMD=("$RUMDL" check --no-config --no-cache "$dir") ;;
        typos) CMD=("$TYPOS" --isolated --exclude '*.tsv' --exclude '*.png' "$dir") ;;
        markdownlint-cli2) CMD=("$MDL" "$dir/**/*.md") ;;
        # cspell skips absolute globs outside its root (the working directory by default).
        cspell) CMD=("$CSPELL" lint --config "$CSPELL_CONFIG" --no-progress --no-summary --root "$dir" '**/*.md') ;;
    esac
}

# display_cmd TOOL: TOOL's command line with DIR standing for the corpus, for the report.
display_cmd() {
    local tool="$1" arg out=""
    tool_cmd "$tool" "DIR"
    case "$tool" in
        kb-*) CMD[0]=kb ;;
        *) CMD[0]="$tool" ;;
    esac
    for arg in "${CMD[@]}"; do
        arg="${arg//"$WORK"//tmp/kb-bench.XXXXXX}"
        if [[ "$arg" =~ [^A-Za-z0-9_./=:-] ]]; then
            arg="'$arg'"
        fi
        out+="${out:+ }$arg"
    done
    case "$tool" in
        kb-export) ;;
        *) out+=" > /dev/null" ;;
    esac
    printf '%s' "$out"
}

# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------

GEN="$ROOT/scripts/gen_corpus.py"
VOCAB="$ROOT/schema/vocabulary/aws.yaml"
REAL_SRC="$ROOT/../shared/corpus"

# gen_corpus NAME NOTES SEED: (re)generate .bench/corpora/NAME unless its stamp (a hash of the
# generator, its default vocabulary and the arguments) is current.
gen_corpus() {
    local name="$1" notes="$2" seed="$3"
    local dir="$CORPORA/$name" stampfile="$CORPORA/$name.stamp" stamp
    stamp="$(cat "$GEN" "$VOCAB" | sha256sum | cut -d ' ' -f 1) notes=$notes seed=$seed"
    if [[ -d "$dir" && -f "$stampfile" && "$(cat "$stampfile")" == "$stamp" ]]; then
        return 0
    fi
    say "generating $name: gen_corpus.py --notes $notes --seed $seed"
    rm -rf "$dir" "$dir.tmp" "$stampfile"
    python3 "$GEN" --notes "$notes" --seed "$seed" --out "$dir.tmp" >&2
    mv "$dir.tmp" "$dir"
    printf '%s\n' "$stamp" > "$stampfile"
}

# real_corpus NAME COPIES: .bench/corpora/NAME holds COPIES copies of ../shared/corpus.
real_corpus() {
    local name="$1" copies="$2"
    local dir="$CORPORA/$name" stampfile="$CORPORA/$name.stamp" stamp i
    stamp="$(cd "$REAL_SRC" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum |
        cut -d ' ' -f 1) copies=$copies"
    if [[ -d "$dir" && -f "$stampfile" && "$(cat "$stampfile")" == "$stamp" ]]; then
        return 0
    fi
    say "building $name: $copies copies of ../shared/corpus"
    rm -rf "$dir" "$dir.tmp" "$stampfile"
    mkdir -p "$dir.tmp"
    for ((i = 1; i <= copies; i++)); do
        cp -R "$REAL_SRC" "$dir.tmp/$(printf 'copy-%02d' "$i")"
    done
    mv "$dir.tmp" "$dir"
    printf '%s\n' "$stamp" > "$stampfile"
}

# Corpora to run: NAME|KIND|DESCRIPTION (KIND gen has a planted.tsv to check kb against).
CORPUS_LIST=()
gen_corpus gen-2000 2000 1
CORPUS_LIST+=("gen-2000|gen|synthetic, \`gen_corpus.py --notes 2000 --seed 1\`")
if ((QUICK == 0)); then
    gen_corpus gen-20000 20000 2
    CORPUS_LIST+=("gen-20000|gen|synthetic, \`gen_corpus.py --notes 20000 --seed 2\`")
fi
if [[ -d "$REAL_SRC" ]]; then
    if ((QUICK)); then copies=6; else copies=60; fi
    real_corpus "real-x$copies" "$copies"
    CORPUS_LIST+=("real-x$copies|real|real notes, \`../shared/corpus\` copied $copies times")
else
    say "../shared/corpus not found: skipping the real corpus"
fi

# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------

RESULTS="$WORK/results.tsv" # corpus tool run wall_s rss_kb status
: > "$RESULTS"

now() { printf '%s' "${EPOCHREALTIME:-$(date +%s.%N)}"; }

# time_tool CORPUS TOOL DIR RUN: one timed run, appended to $RESULTS; prints the wall time.
# Wall time: the shell's clock around the command (microseconds; GNU time's %e rounds to 10 ms,
# too coarse for rg); peak RSS: GNU time's %M (KiB).
time_tool() {
    local corpus="$1" tool="$2" dir="$3" run="$4"
    local t0 t1 status=0 wall rss
    tool_cmd "$tool" "$dir"
    t0="$(now)"
    (cd "$WORK" && /usr/bin/time -f '%e %M' -o "$WORK/time.out" "${CMD[@]}" > /dev/null 2> "$WORK/$tool.stderr") ||
        status=$?
    t1="$(now)"
    wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
    rss="$(tail -n 1 "$WORK/time.out" | awk '{ print $2 }')"
    [[ "$rss" =~ ^[0-9]+$ ]] || rss=0
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$corpus" "$tool" "$run" "$wall" "$rss" "$status" >> "$RESULTS"
    if ! ok_status "$tool" "$status"; then
        say "$tool on $corpus exited with status $status; its standard error ends with:"
        tail -n 5 "$WORK/$tool.stderr" | sed 's/^/    /' >&2
    fi
    printf '%s' "$wall"
}

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

REPORT="$WORK/report.md"
: > "$REPORT"
emit() { printf '%s\n' "$@" | tee -a "$REPORT"; }

CPU="$(lscpu 2> /dev/null | awk -F: '/^Model name/ { sub(/^[ \t]+/, "", $2); print $2; exit }')"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2> /dev/null || true)"
emit "## Benchmark: kb and peers"
emit ""
emit "- date: $(date -u)"
emit "- machine: ${CPU:-unknown CPU}, nproc $(nproc), ${MEM:-unknown} RAM, $(uname -sr)"
emit "- kb: $(tool_version kb), $KB_ORIGIN"
for tool in rg rumdl typos markdownlint-cli2 cspell; do
    case "$tool" in
        rg) p="$RG" ;;
        *) p="$(tool_path "$tool")" ;;
    esac
    if [[ -n "$p" ]]; then
        emit "- $tool: $(tool_version "$tool")"
    else
        emit "- $tool: not installed"
    fi
done
if command -v node > /dev/null; then
    emit "- node: $(node --version)"
fi
emit "- method: $RUNS timed run(s) per tool, round-robin over the tools (run 1 of every tool, then" \
    "  run 2, ...), page cache warmed first; wall time measured around each command, peak RSS from" \
    "  \`/usr/bin/time -f '%e %M'\` (largest over the runs); a peer whose first run took more than" \
    "  ${SLOW_LIMIT} s is not repeated. Ratio: median wall time / rg's median wall time."
emit ""
emit "Command lines (DIR is the corpus folder; exit statuses reporting findings are ignored):"
emit ""
for tool in "${ALL_TOOLS[@]}"; do
    emit "- $tool: \`$(display_cmd "$tool")\`"
done
emit ""

GATE_FAIL=0
KB_FAIL=0

for entry in "${CORPUS_LIST[@]}"; do
    IFS='|' read -r corpus kind description <<< "$entry"
    dir="$CORPORA/$corpus"
    notes="$(find "$dir" -type f -name '*.md' | wc -l)"
    mb="$(find "$dir" -type f -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }')"
    say "corpus $corpus: $notes notes, $mb MB"

    # Warm the page cache: read every file once, then one untimed rg run.
    find "$dir" -type f -exec cat {} + > /dev/null
    if [[ -n "$RG" ]]; then
        "$RG" -c '^#' -g '*.md' "$dir" > /dev/null || true
    fi

    # Round-robin: run 1 of every tool, then run 2, ...
    declare -A first_wall=()
    for ((run = 1; run <= RUNS; run++)); do
        for tool in "${ALL_TOOLS[@]}"; do
            [[ -n "$(tool_path "$tool")" ]] || continue
            if ((run > 1)) && is_peer "$tool" &&
                awk -v w="${first_wall[$tool]}" -v l="$SLOW_LIMIT" 'BEGIN { exit !(w > l) }'; then
                continue
            fi
            say "  run $run/$RUNS: $tool"
            wall="$(time_tool "$corpus" "$tool" "$dir" "$run")"
            say "    ${wall} s"
            if ((run == 1)); then
                first_wall[$tool]="$wall"
            fi
        done
    done

    # Correctness gate (untimed): kb's KB201 findings against the planted misspellings.
    gate_line=""
    if [[ "$kind" == gen ]]; then
        say "  checking KB201 findings against planted.tsv"
        kb_status=0
        "$KB_BIN" check "$dir" --format json --exit-zero --select KB201 > "$WORK/kb201.json" ||
            kb_status=$?
        if ((kb_status != 0)); then
            gate_line="KB201 gate: kb check --select KB201 failed with status $kb_status"
            GATE_FAIL=1
        else
            gate_line="$(python3 - "$WORK/kb201.json" "$dir" << 'PY'
import collections, json, os, sys

report, root = sys.argv[1], sys.argv[2]
with open(report, encoding="utf-8") as f:
    diagnostics = [d for d in json.load(f)["diagnostics"] if d["code"] == "KB201"]
with open(os.path.join(root, "planted.tsv"), encoding="utf-8") as f:
    rows = [line.rstrip("\n").split("\t") for line in f][1:]
rows = [r for r in rows if r != [""]]
found = collections.Counter(
    (os.path.relpath(os.path.join(root, d["path"]), root), int(d["line"])) for d in diagnostics
)
planted = collections.Counter((r[0], int(r[1])) for r in rows)
missed = sum((planted - found).values())
extra = sum((found - planted).values())
ok = len(diagnostics) == len(rows) and missed == 0 and extra == 0
print(
    f"KB201 gate: {len(diagnostics)} KB201 findings, {len(rows)} planted misspellings"
    f" ({missed} planted not found, {extra} findings not planted): {'ok' if ok else 'MISMATCH'}"
)
PY
)"
            [[ "$gate_line" == *": ok" ]] || GATE_FAIL=1
        fi
    fi

    # The two builds must report the same (untimed): only the machine code differs.
    same_line=""
    if [[ -n "$KB_PLAIN" ]]; then
        say "  comparing the reports of the two builds"
        "$KB_BIN" check "$dir" --format json --exit-zero > "$WORK/pgo.json" 2> /dev/null || true
        "$KB_PLAIN" check "$dir" --format json --exit-zero > "$WORK/plain.json" 2> /dev/null || true
        if [[ -s "$WORK/pgo.json" ]] && cmp -s "$WORK/pgo.json" "$WORK/plain.json"; then
            same_line="kb-check and kb-check-plain: the same report, byte for byte ($(wc -c < "$WORK/pgo.json") bytes)"
        else
            same_line="kb-check and kb-check-plain: the reports DIFFER"
            KB_FAIL=1
        fi
        rm -f "$WORK/pgo.json" "$WORK/plain.json"
    fi

    # Table.
    emit "### $corpus: $description"
    emit ""
    emit "$notes notes, $mb MB of markdown."
    emit ""
    emit "| tool | median wall (s) | min–max (s) | peak RSS (MB) | × rg | runs |"
    emit "| --- | ---: | ---: | ---: | ---: | --- |"
    rg_median=""
    if [[ -n "$RG" ]]; then
        rg_median="$(awk -F '\t' -v c="$corpus" '$1 == c && $2 == "rg" { print $4 }' "$RESULTS" |
            sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.6f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
    fi
    for tool in "${ALL_TOOLS[@]}"; do
        if [[ -z "$(tool_path "$tool")" ]]; then
            emit "| $tool | not installed | – | – | – | 0 |"
            continue
        fi
        stats="$(awk -F '\t' -v c="$corpus" -v t="$tool" '$1 == c && $2 == t { print $4 "\t" $5 "\t" $6 }' "$RESULTS" |
            sort -g | awk -F '\t' -v rg="$rg_median" '
                { w[NR] = $1; if ($2 > rss) rss = $2; if ($3 != 0) bad = bad (bad ? "," : "") $3 }
                END {
                    med = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
                    ratio = (rg != "" && rg > 0) ? sprintf("%.1f", med / rg) : "n/a"
                    printf "%.3f\t%.3f–%.3f\t%.0f\t%s\t%d\t%s\n", med, w[1], w[NR], rss / 1024, ratio, NR, bad
                }')"
        IFS=$'\t' read -r median range rss ratio n statuses <<< "$stats"
        runs_note="$n"
        if ((n < RUNS)) && is_peer "$tool"; then
            runs_note="$n (first run > ${SLOW_LIMIT} s: not repeated)"
        fi
        bad_statuses=""
        for s in ${statuses//,/ }; do
            ok_status "$tool" "$s" || bad_statuses+="${bad_statuses:+, }$s"
        done
        if [[ -n "$bad_statuses" ]]; then
            runs_note+="; FAILED (exit status $bad_statuses)"
            case "$tool" in kb-*) KB_FAIL=1 ;; esac
        fi
        emit "| $tool | $median | $range | $rss | $ratio | $runs_note |"
    done
    emit ""
    if [[ -n "$gate_line" ]]; then
        emit "$gate_line"
        emit ""
    fi
    if [[ -n "$same_line" ]]; then
        emit "$same_line"
        emit ""
    fi
    unset first_wall
done

# The editor: `kb server` on each corpus, as an editor starts it and types in one note.
emit "### kb in an editor (\`kb server\`)"
emit ""
emit "\`scripts/bench_editor.py\`: ready is the time from \`initialize\` to the first findings of" \
    "a note opened at once (the vault is read and indexed in between); a keystroke is the time" \
    "from a \`didChange\` to the findings it brings (each edit adds or removes a misspelled name," \
    "so every one is published), over 40 edits."
emit ""
emit "| corpus | notes | ready (s) | keystroke median (ms) | keystroke worst (ms) | note (bytes) |"
emit "| --- | ---: | ---: | ---: | ---: | ---: |"
for entry in "${CORPUS_LIST[@]}"; do
    IFS='|' read -r corpus _ <<< "$entry"
    say "editor: kb server on $corpus"
    if row="$(python3 "$ROOT/scripts/bench_editor.py" --kb "$KB_BIN" --vault "$CORPORA/$corpus" --row "$corpus")"; then
        emit "$row"
    else
        emit "| $corpus | – | FAILED | – | – | – |"
        KB_FAIL=1
    fi
done
emit ""

if [[ -n "$OUT" ]]; then
    mkdir -p "$(dirname "$OUT")"
    cp "$REPORT" "$OUT"
    say "report written to $OUT"
fi

if ((GATE_FAIL)); then
    say "FAILED: kb's KB201 findings do not match the planted misspellings (see above)"
fi
if ((KB_FAIL)); then
    say "FAILED: kb exited with an unexpected status (see above)"
fi
if ((GATE_FAIL || KB_FAIL)); then
    exit 1
fi

# Shared by scripts/fuzz.sh and scripts/fuzz-soak.sh (sourced, not run): where the fuzz build
# puts its targets and seeds, and which folders seed a target. Both run with -max_len=4096: by
# default libFuzzer caps inputs at the largest seed, a few hundred bytes for the text parsers.
fuzz_build=${CORALPI_BUILD_ROOT:-build}/fuzz
fuzz_bin=$fuzz_build/fuzz
fuzz_seeds=$fuzz_bin/seeds

# Writes every target's generated seeds (with ../shared/testdata's small files when present).
fuzz_make_seeds() {
  "$fuzz_bin/seeds/make_fuzz_seeds" "$fuzz_seeds" ../shared/testdata >/dev/null
}

# The read-only seed folders of target $1 that exist: generated seeds, the committed corpus
# (fuzz/corpus/<target>/) and the committed regression inputs (tests/fuzz/regressions/<target>/).
fuzz_seed_dirs() {
  local d
  for d in "$fuzz_seeds/$1" "fuzz/corpus/$1" "tests/fuzz/regressions/$1"; do
    if [ -d "$d" ]; then echo "$d"; fi
  done
}

# The last status line of a libFuzzer log ("#N ... cov: C ft: F corp: K ..."), as
# "runs cov ft corp"; fork mode's lines ("#N: cov: ...") and the plain mode's both count.
fuzz_last_stats() {
  grep -E '^#[0-9]+[^0-9].*cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$1" | tail -1 |
    sed -E 's/^#([0-9]+)[^0-9].*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 \2 \3 \4/'
}

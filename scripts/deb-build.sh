# Sourced by scripts/package.sh and scripts/package-python.sh: one staged package folder into a
# .deb and its checks. build_and_check_deb STAGE DEB LINTIAN_LOG writes DEBIAN/md5sums, builds
# DEB (root-owned files, xz), prints its control fields (and conffiles) and file list, and runs
# lintian: warnings and notes are shown and kept in LINTIAN_LOG; an error fails the job.
build_and_check_deb() {
  local stage=$1 deb=$2 log=$3
  (cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    > "$stage/DEBIAN/md5sums"
  dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
  echo "== $deb"
  dpkg-deb -I "$deb" | sed -n '/ conffiles$/p; /Package:/,$p'
  dpkg-deb -c "$deb" | awk '{print $1, $6}'
  echo "-- lintian $(lintian --version | awk '{print $2}')"
  lintian --tag-display-limit 0 "$deb" | tee "$log"
  if grep -q '^E:' "$log"; then
    echo "coralpi: lintian found errors in $deb" >&2
    exit 1
  fi
}

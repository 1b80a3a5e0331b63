# Sourced by the scripts: which Debian release this machine runs, and the clang that goes with it.
# debian_release prints bookworm or trixie (Raspberry Pi OS says the same in /etc/os-release);
# a later release is treated as trixie, an earlier one as bookworm.

debian_release() {
  local codename="" version=""
  if [ -r /etc/os-release ]; then
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    version=$(. /etc/os-release && echo "${VERSION_ID:-}")
  fi
  case "$codename" in
    bookworm|trixie) echo "$codename"; return ;;
  esac
  case "$version" in
    ''|*[!0-9]*) echo bookworm ;;  # testing/sid have no VERSION_ID: fall back to the oldest
    *) if [ "$version" -ge 13 ]; then echo trixie; else echo bookworm; fi ;;
  esac
}

# The clang (libFuzzer, ASan, UBSan) that scripts/deps.sh installs on this release.
release_clang_version() {
  case "$(debian_release)" in
    trixie) echo 19 ;;
    *) echo 14 ;;
  esac
}

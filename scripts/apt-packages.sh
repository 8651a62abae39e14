# Sourced by scripts/setup-system.d/*.sh: ensure_packages TAG PACKAGE... installs the
# Debian packages that are missing — idempotent and quiet, only as root (directly or via
# sudo); otherwise it names what is missing and leaves the system alone.
ensure_packages() {
  local tag=$1; shift
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "$tag: missing ${missing[*]}; run this script as root (sudo) to install them" >&2
    return 0
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if command -v fc-cache >/dev/null; then fc-cache -f >/dev/null 2>&1 || true; fi
}

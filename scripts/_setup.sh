# Shared set-up for scripts/start and scripts/test (sourced, not run).
# Installs the Debian packages a fresh machine lacks (as root) and the Python environment in .venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${YICHUANG_VENV:-$ROOT/.venv}"

# Qt's xcb platform and offscreen rendering, a CJK font, a virtual display.
RUNTIME_DEBS=(fonts-noto-cjk xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxkbcommon-x11-0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 libglib2.0-0
  # pyscard (passports over PC/SC) and python-sane (document scanners) build from source against these.
  pcscd libpcsclite-dev swig build-essential libsane1 sane-utils libsane-dev poppler-utils)

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "需要安装系统软件包 / missing system packages: ${missing[*]}" >&2
    echo "请以 root 运行，或先执行 / run as root or first: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  apt_install python3 python3-venv python3-dev
  echo python3
}

make_venv() {
  # $1: the extras to install, e.g. "test" or "postgres,face".
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    local py
    py="$(find_python)"
    echo "==> creating $VENV with $($py --version)"
    "$py" -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; "$py" -m venv "$VENV"; }
  fi
  local stamp="$VENV/.installed-$extras"
  # Reinstall only when the project's dependencies changed, so a second run starts quickly.
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    echo "==> pip install -e .[$extras]"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
    if "$VENV/bin/python" -c 'import dlib' 2>/dev/null; then
      # The face extra: these two declare a dependency on a source build of dlib; dlib-bin provides it.
      "$VENV/bin/python" -m pip install -q --no-deps "face_recognition==1.3.0" "face_recognition_models==0.3.0"
    fi
    touch "$stamp"
  fi
}

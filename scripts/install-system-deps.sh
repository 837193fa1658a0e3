#!/usr/bin/env bash
# Installs the system libraries course-builder needs (Debian/Ubuntu): Pango for PDF rendering,
# and with --test also Chromium, LibreOffice Impress and poppler-utils for the test suite.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium libreoffice-impress poppler-utils fonts-dejavu-extra)
  # Node.js may come from elsewhere than Debian (with its own npm); install Debian's only if none is there.
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
echo "Installing system packages: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

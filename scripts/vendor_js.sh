#!/usr/bin/env bash
# Refresh the JavaScript vendored into iei_onto/vendor/ (the HTML report works offline).
#
# Usage: scripts/vendor_js.sh [VERSION]     (default: the newest cytoscape 3.x)
#
# Downloads the package tarball with `npm pack` (the npm registry, no install, no scripts
# run) into a temporary folder and copies the minified browser build and its MIT licence.
# Commit the changed files in iei_onto/vendor/ afterwards.
set -euo pipefail

version="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/iei_onto/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
tarball="$(npm pack --silent "cytoscape@$version")"
tar xzf "$tarball"
exact="$(node -p "require('./package/package.json').version")"

cp package/dist/cytoscape.min.js "$vendor/cytoscape.min.js"
cp package/LICENSE "$vendor/LICENSE-cytoscape.txt"
printf 'cytoscape %s (MIT) from the npm registry: %s\n' "$exact" "$tarball" > "$vendor/VERSIONS.txt"
sha256sum "$vendor/cytoscape.min.js" | sed "s|$vendor/||" >> "$vendor/VERSIONS.txt"
echo "vendored cytoscape $exact into $vendor"

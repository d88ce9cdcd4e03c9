#!/usr/bin/env bash
# Fetch Det Fælles Designsystem (DKFDS, npm package "dkfds", MIT; icons Apache 2.0; IBM Plex
# Sans under the SIL Open Font License) into forms_service/web/static/dkfds/.
#
# The built files are committed, so the service runs without npm; run this script only to
# upgrade DKFDS. It `npm pack`s the package in a temporary folder (no node_modules in the repo,
# no install scripts run) and copies:
#   dist/css/dkfds.min.css (+ .map)   -> static/dkfds/css/
#   dist/js/dkfds.min.js (+ .map)     -> static/dkfds/js/
#   the font files the CSS refers to  -> static/dkfds/fonts/...  (same relative paths)
#   dist/img/ (icons, logos)          -> static/dkfds/img/
#   LICENSE.md, package.json version  -> static/dkfds/LICENSE.md, static/dkfds/VERSION
#
# Usage: scripts/fetch_dkfds.sh [VERSION]     (default: the version in static/dkfds/VERSION,
#                                              or the newest when that file is missing)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
target="$repo/forms_service/web/static/dkfds"
version="${1:-}"
if [[ -z "$version" && -f "$target/VERSION" ]]; then
  version="$(cat "$target/VERSION")"
fi
spec="dkfds${version:+@$version}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$spec" >/dev/null)
tar -xzf "$work"/dkfds-*.tgz -C "$work"
dist="$work/package/dist"

rm -rf "$target"
mkdir -p "$target/css" "$target/js"
cp "$dist/css/dkfds.min.css" "$dist/css/dkfds.min.css.map" "$target/css/"
cp "$dist/js/dkfds.min.js" "$dist/js/dkfds.min.js.map" "$target/js/"
cp -R "$dist/img" "$target/img"
# Only the fonts the stylesheet loads (the package ships every format in two cuts, ~12 MB).
grep -o 'url([^)]*)' "$dist/css/dkfds.min.css" | sed -e 's/^url(//' -e 's/)$//' -e 's/"//g' \
  | grep '^\.\./fonts/' | sort -u | while read -r ref; do
    rel="${ref#../}"
    mkdir -p "$target/$(dirname "$rel")"
    cp "$dist/$rel" "$target/$rel"
  done
cp "$work/package/LICENSE.md" "$target/LICENSE.md"
node -e 'process.stdout.write(require(process.argv[1]).version + "\n")' \
  "$work/package/package.json" > "$target/VERSION"
echo "DKFDS $(cat "$target/VERSION") copied to $target ($(du -sh "$target" | cut -f1))"

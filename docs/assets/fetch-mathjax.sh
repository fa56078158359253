#!/usr/bin/env bash
# Re-create docs/assets/mathjax/ (committed; the build never needs npm) from the npm registry.
# Keeps only what the site loads: the combined TeX/MathML -> CHTML bundle, its woff2 fonts,
# the TeX extensions it may autoload, and MathJax's licence (Apache-2.0).
set -euo pipefail
VERSION=3.2.2
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/mathjax"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "mathjax@$VERSION" >/dev/null && tar -xzf "mathjax-$VERSION.tgz")
rm -rf "$dest"
mkdir -p "$dest/es5/output/chtml/fonts" "$dest/es5/input/tex"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
cp "$tmp/package/es5/tex-mml-chtml.js" "$dest/es5/"
cp -r "$tmp/package/es5/output/chtml/fonts/woff-v2" "$dest/es5/output/chtml/fonts/"
cp -r "$tmp/package/es5/input/tex/extensions" "$dest/es5/input/tex/"
printf 'mathjax@%s from the npm registry (npm pack), trimmed by docs/assets/fetch-mathjax.sh\n' "$VERSION" > "$dest/VERSION"
du -sh "$dest"

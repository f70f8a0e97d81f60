#!/bin/sh
# test_harness_html.sh TEST_HARNESS_HTML_BINARY — renders the harness's HTML report in headless Chromium and
# checks what a reader would see: the DOM holds the expected sections and plots, and the
# screenshot is a real, non-blank PNG with the plots' colours in it.
# The browser: KZGKIT_CHROMIUM=PATH if set, else chromium, chromium-browser or google-chrome
# on PATH. Without one the test is skipped: exit 77 (ctest's SKIP_RETURN_CODE for it), saying
# how to enable it. KZGKIT_HTML_SHOT=FILE keeps a copy of the screenshot.
# KZGKIT_RUN_PREFIX (set by ctest in cross builds: the emulator) goes in front of the
# report generator; the browser is the host's.
set -u
bin=${1:?usage: test_harness_html.sh PATH/TO/test_harness_html}
. "$(dirname "$0")/../../cli/lib.sh"
require_browser test_harness_html_chromium
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "test_harness_html_chromium: FAIL: $*"; exit 1; }

${KZGKIT_RUN_PREFIX:-} "$bin" "$work/report.html" >"$work/gen.log" 2>&1 || { cat "$work/gen.log"; fail "generating the report"; }

run_chromium() { # $1: profile dir; rest: chromium arguments
  prof=$1; shift
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$prof" "$@"
}

# One launch does both: the DOM after parsing on stdout, and the screenshot.
run_chromium "$work/profile" --window-size=1280,2200 --screenshot="$work/shot.png" \
  --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log" \
  || { tail -5 "$work/chromium.log"; fail "chromium failed"; }

# The DOM as Chromium parsed it (not our text): sections, table rows and SVG plots.
count() { grep -o "$1" "$work/dom.html" | wc -l; }
[ "$(count 'id="summary-table"')" -eq 1 ] || fail "no summary table in the DOM"
[ "$(count '<tr class="bench">')" -eq 11 ] || fail "expected 11 benchmark rows, got $(count '<tr class="bench">')"
[ "$(count '<svg class="dist-plot"')" -eq 10 ] || fail "expected 10 distribution plots"
[ "$(count '<svg class="scaling-plot"')" -eq 2 ] || fail "expected 2 scaling plots"
[ "$(count '<svg class="compare-chart"')" -eq 1 ] || fail "no comparison chart"
[ "$(count '<circle class="sample"')" -eq 310 ] || fail "expected 310 sample dots"
grep -q 'hash&lt;&amp;"'"'"'&gt;' "$work/dom.html" || fail "escaped benchmark name not found as text"
if grep -qi '<script' "$work/dom.html"; then fail "the report contains a script"; fi

[ -s "$work/shot.png" ] || fail "no screenshot written"
[ -n "${KZGKIT_HTML_SHOT:-}" ] && cp "$work/shot.png" "$KZGKIT_HTML_SHOT"
sig=$(od -An -tx1 -N8 "$work/shot.png" | tr -d ' \n')
[ "$sig" = "89504e470d0a1a0a" ] || fail "screenshot is not a PNG (signature $sig)"

if command -v python3 >/dev/null 2>&1; then
  python3 - "$work/shot.png" <<'PY' || fail "screenshot content check"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
pixels_dark = colours = blue = red = 0
seen = set()
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):  # PNG filters (RFC 2083, 6.2–6.6)
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 2: continue  # every other row is plenty for the statistics below
    for x in range(0, w, 2):
        r, g, bb = line[x * bpp:x * bpp + 3]
        seen.add((r >> 3, g >> 3, bb >> 3))
        if r + g + bb < 600: pixels_dark += 1
        if abs(r - 47) < 40 and abs(g - 109) < 40 and abs(bb - 179) < 40: blue += 1
        if r > 180 and g < 90 and bb < 90: red += 1
total = (h // 2) * (w // 2)
print(f"screenshot {w}x{h}: {100 * pixels_dark / total:.1f}% non-background pixels, "
      f"{len(seen)} colours, {blue} plot-blue and {red} regression-red samples")
assert w >= 1000 and h >= 1000, "screenshot too small"
assert pixels_dark > 0.02 * total, "screenshot is (nearly) blank"
assert len(seen) >= 20, "too few colours: plots not rendered"
assert blue > 100, "no sample dots / series drawn"
assert red > 5, "no regression bar drawn"
PY
else
  size=$(wc -c <"$work/shot.png")
  [ "$size" -gt 30000 ] || fail "screenshot only $size bytes: blank?"
  echo "test_harness_html_chromium: python3 absent: checked the PNG signature and size ($size bytes)"
fi
echo "test_harness_html_chromium: PASS (DOM and screenshot checked with $browser)"

#!/bin/sh
# Generates the example course's lecture video with ffmpeg's built-in test sources (no download,
# no camera): 4 s of a 640x360 test pattern at 25 fps with a 440 Hz tone, H.264/AAC in MP4.
#
#   examples/make-example-video.sh            # writes the file below (bit-exact, reproducible)
#
# The output is committed; re-running the script rewrites the same bytes.
set -eu
cd "$(dirname "$0")"
out=courses/intro-to-biology/lessons/cells/cell-division.mp4
if ! command -v ffmpeg >/dev/null 2>&1; then
  echo "make-example-video: ffmpeg is not installed (apt-get install ffmpeg)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=25:duration=4" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=4" \
  -map 0:v -map 1:a \
  -c:v libx264 -preset slow -crf 32 -pix_fmt yuv420p -profile:v high -g 50 -threads 1 \
  -c:a aac -b:a 48k -ac 1 \
  -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -movflags +faststart -t 4 \
  "$out"
echo "make-example-video: wrote $out ($(wc -c < "$out") bytes)"

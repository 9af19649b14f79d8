#!/usr/bin/env bash
# Build once, promote: the staging and prod packages come from one build; this proves they hold
# the same code, file by file, so prod runs exactly what staging tested. (The zips themselves
# differ only in timestamps; the templates differ in stage names and settings.)
#   .github/scripts/same-code.sh <package-dir-a> <package-dir-b>
set -euo pipefail
a="$1"
b="$2"
digest() {
  local dir="$1"
  for zip in "$dir"/*.zip; do
    unzip -Z1 "$zip" | grep -v '/$' | sort | while read -r entry; do
      printf '%s %s %s\n' "$(basename "$zip")" "$entry" "$(unzip -p "$zip" "$entry" | sha256sum | cut -d' ' -f1)"
    done
  done
}
if ! diff <(digest "$a") <(digest "$b"); then
  echo "::error::$a and $b do not hold the same code"
  exit 1
fi
echo "Same code in $a and $b: $(ls "$a"/*.zip | wc -l) zips"

#!/bin/sh
# The TorchSharp native fix of build/TorchSharpNativeFix.cs (see there for why it is safe) for places without .NET
# SDK: a container image's final stage, whose base decides whether libstdc++ has GLIBCXX_3.4.32. POSIX sh, od and dd
# only, so it runs on any base image. Marks the GLIBCXX_3.4.32 requirement of LIBRARY weak, in place, unless the
# system's libstdc++ provides that version (--always patches regardless). Idempotent.
# Usage: torchsharp-native-fix.sh [--always] LIBRARY        Exit codes: 0 done or not needed, 2 usage, 3 bad file.
set -eu

version=GLIBCXX_3.4.32
always=0
if [ "${1:-}" = --always ]; then always=1; shift; fi
[ $# -eq 1 ] || { echo "usage: torchsharp-native-fix.sh [--always] LIBRARY" >&2; exit 2; }
library=$1
[ -f "$library" ] || { echo "torchsharp-native-fix: $library does not exist" >&2; exit 3; }

fail() { echo "torchsharp-native-fix: $library: $*" >&2; exit 3; }

system_provides_version() {
  for candidate in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 \
                   /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6 /lib/x86_64-linux-gnu/libstdc++.so.6; do
    [ -f "$candidate" ] && grep -q "$version" "$candidate" && return 0
  done
  return 1
}

# unsigned little-endian integer of SIZE bytes at OFFSET
uint() { od -An -tu"$2" -j "$1" -N "$2" "$library" | tr -d ' \n'; }
# true when the NUL-terminated string at OFFSET is $version
name_is_version() {
  [ "$(dd if="$library" bs=1 skip="$1" count=${#version} 2>/dev/null)" = "$version" ] && [ "$(uint $(($1 + ${#version})) 1)" = 0 ]
}

if [ $always -eq 0 ] && system_provides_version; then
  echo "torchsharp-native-fix: this system's libstdc++ provides $version; $library left as it is"
  exit 0
fi

[ "$(od -An -tx1 -N6 "$library" | tr -d ' \n')" = 7f454c460201 ] || fail "not a 64-bit little-endian ELF file"
section_table=$(uint 40 8)
entry_size=$(uint 58 2)
sections=$(uint 60 2)

i=0
while [ $i -lt "$sections" ]; do
  header=$((section_table + i * entry_size))
  if [ "$(uint $((header + 4)) 4)" = 1879048190 ]; then # SHT_GNU_verneed
    need=$(uint $((header + 24)) 8)
    needs=$(uint $((header + 44)) 4)
    strtab=$(uint $((section_table + $(uint $((header + 40)) 4) * entry_size + 24)) 8)
    n=0
    while [ $n -lt "$needs" ]; do
      aux=$((need + $(uint $((need + 8)) 4)))
      a=0
      while [ $a -lt "$(uint $((need + 2)) 2)" ]; do
        if name_is_version $((strtab + $(uint $((aux + 8)) 4))); then
          flags=$(uint $((aux + 4)) 2)
          if [ $((flags & 2)) -ne 0 ]; then echo "torchsharp-native-fix: $version is already weak in $library"; exit 0; fi
          flags=$((flags | 2))
          # shellcheck disable=SC2059 # the format is built from octal escapes on purpose
          printf "$(printf '\\%03o\\%03o' $((flags & 255)) $((flags >> 8)))" |
            dd of="$library" bs=1 seek=$((aux + 4)) conv=notrunc 2>/dev/null
          echo "torchsharp-native-fix: marked $version weak in $library"
          exit 0
        fi
        aux=$((aux + $(uint $((aux + 12)) 4)))
        a=$((a + 1))
      done
      next=$(uint $((need + 12)) 4)
      [ "$next" -ne 0 ] || break
      need=$((need + next))
      n=$((n + 1))
    done
    break
  fi
  i=$((i + 1))
done
echo "torchsharp-native-fix: $library does not require $version; nothing to do"

#!/usr/bin/env bash
# Fuzzes the JSON-RPC frame parser and message decoder with libFuzzer + AddressSanitizer.
#   Tests/Fuzz/run-fuzzer.sh [SECONDS]     (default 60)
# The sources are compiled as one module (their `import AnyJSON` lines dropped), as swiftc's fuzzer mode needs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for file in "$root"/Sources/AnyJSON/*.swift "$root"/Sources/JSONRPC/FrameParser.swift "$root"/Sources/JSONRPC/Message.swift \
  "$root"/Sources/JSONRPC/EncodedJSON.swift; do
  grep -v '^import AnyJSON' "$file" > "$work/$(basename "$file")"
done
cp "$root/Tests/Fuzz/FrameParserFuzzTarget.swift" "$work/"
swiftc -sanitize=fuzzer,address -parse-as-library -g -O "$work"/*.swift -o "$work/fuzz" 2>&1 | grep -v "Cannot export local symbol" || true
mkdir -p "$work/corpus"
printf 'Content-Length: 52\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}' > "$work/corpus/seed1"
printf 'Content-Length: 5\r\nContent-Type: x\r\n\r\n[1,2]Content-Length: 2\r\n\r\n{}' > "$work/corpus/seed2"
cat > "$work/dict" <<'DICT'
"Content-Length: "
"Content-Type: "
"\x0d\x0a\x0d\x0a"
"\"jsonrpc\""
"\"2.0\""
"\"method\""
"\"params\""
"\"id\""
"\"result\""
"\"error\""
DICT
SWIFT_BACKTRACE=enable=no "$work/fuzz" -artifact_prefix="${K2LSP_FUZZ_ARTIFACTS:-/tmp/k2lsp-fuzz-}" -max_total_time="${1:-60}" -dict="$work/dict" -max_len=4096 "$work/corpus" 2>&1 | tail -n 5

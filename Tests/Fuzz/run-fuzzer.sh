#!/usr/bin/env bash
# Fuzzes k2lsp's parsers with libFuzzer + AddressSanitizer, one target after the other, each for SECONDS:
#   Tests/Fuzz/run-fuzzer.sh [SECONDS] [TARGET…]      (default 60 s each; all targets)
# Targets:
#   frame       the JSON-RPC frame parsers (Content-Length for LSP, one message per line for ACP) and the message
#               decoder (any split must give the same events; seeds include messages nested 300-600 deep)
#   sse         a chat-completions event stream: SSE parser, chunk decoder, stream assembler (whole vs split)
#   edit-reply  a model's edit reply through ReplyInterpreter (fenced code, SEARCH/REPLACE, unified diffs, whole
#               files, edit_file arguments), applied to a file; minimal replacements must rebuild the result
#   config      a .k2lsp.yaml and editor settings through the whole configuration loader (Yams and libyaml too)
# Each target's sources are compiled into one module with it (their imports of k2lsp modules dropped), as swiftc's
# fuzzer mode needs; the config target links Yams and libyaml, built alongside with the same instrumentation.
# Crash inputs go to $K2LSP_FUZZ_ARTIFACTS (default /tmp/k2lsp-fuzz-<target>-…). Exits non-zero if any target
# crashed, hung (-timeout), or was built without coverage (no `cov:` in libFuzzer's status lines).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz="$root/Tests/Fuzz"
seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(frame sse edit-reply config); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Copies sources into a folder, without the imports of k2lsp's own modules (one module is built from them).
copy_sources() {
  local destination=$1
  shift
  mkdir -p "$destination"
  for file in "$@"; do
    local name
    name=$(echo "${file#"$root"/Sources/}" | tr '/' '_')
    grep -v -E '^import (AnyJSON|JSONRPC|K2Workspace|K2Models|K2Provider|K2Config|K2Context)$' "$file" > "$destination/$name"
  done
}

compile() {  # output, then swiftc arguments
  local output=$1
  shift
  swiftc -sanitize=fuzzer,address -parse-as-library -g -O -swift-version 6 -package-name k2lsp "$@" -o "$output" 2>&1 \
    | grep -v -E "Cannot export local symbol|^$" || true
  [ -x "$output" ] || { echo "error: could not build $output" >&2; return 1; }
}

build_frame() {
  copy_sources "$work/frame" "$root"/Sources/AnyJSON/*.swift "$root/Sources/JSONRPC/FrameParser.swift" \
    "$root/Sources/JSONRPC/LineFrameParser.swift" "$root/Sources/JSONRPC/Message.swift" \
    "$root/Sources/JSONRPC/EncodedJSON.swift"
  compile "$work/frame.fuzz" "$work"/frame/*.swift "$fuzz/FrameParserFuzzTarget.swift"
}

build_sse() {
  local provider=()
  for file in "$root"/Sources/K2Provider/*.swift "$root"/Sources/K2Provider/Wire/*.swift; do
    # The HTTP client, and what drives it, are not part of reading a stream (names in comments do not count).
    grep -q -E '^import (AsyncHTTPClient|NIO|Logging)|^[^/]*(HTTPClientBox|OpenAICompatibleClient)' "$file" \
      || provider+=("$file")
  done
  copy_sources "$work/sse" "$root"/Sources/AnyJSON/*.swift "$root"/Sources/K2Models/*.swift "${provider[@]}"
  compile "$work/sse.fuzz" "$work"/sse/*.swift "$fuzz/SSEStreamFuzzTarget.swift"
}

build_edit_reply() {
  copy_sources "$work/edit-reply" "$root"/Sources/K2Workspace/*.swift "$root"/Sources/K2Workspace/Files/*.swift \
    "$root"/Sources/K2Engine/Edits/*.swift
  # The reply format is declared with the prompts (which need the whole engine); take just its enum.
  awk '/^public enum EditReplyFormat/,/^}/' "$root/Sources/K2Engine/Commands/PromptTemplates.swift" \
    > "$work/edit-reply/EditReplyFormat.swift"
  # A reply that echoes the prompt is recognised by the prompt's labels and markers: take just those constants.
  { echo 'enum PromptTemplates {'
    grep -E '^ *(public )?static let (taskLabel|fileLabel|instructionLabel|selectionLocation|cursorLocation) =' \
      "$root/Sources/K2Engine/Commands/PromptTemplates.swift"
    echo '}'
    echo 'enum ContextPromptFormat {'
    grep -E '^ *(public )?static let (cursorMarker|selectionStartMarker|selectionEndMarker|title) =' \
      "$root/Sources/K2Context/ContextRendering.swift"
    echo '}'; } > "$work/edit-reply/PromptVocabulary.swift"
  compile "$work/edit-reply.fuzz" "$work"/edit-reply/*.swift "$fuzz/EditReplyFuzzTarget.swift"
}

# Builds one module on its own, instrumented like the targets, into $work/modules (NAME.swiftmodule and NAME.o):
# NAME, then swiftc arguments.
build_module() {
  local name=$1
  shift
  mkdir -p "$work/modules"
  (cd "$work/modules" && swiftc -sanitize=fuzzer,address -parse-as-library -g -O -module-name "$name" -package-name k2lsp \
    -I "$work/modules" -emit-module -emit-object -wmo "$@" 2>&1 | grep -v -E "warning|^ *\||^$" || true)
  [ -f "$work/modules/$name.o" ] || { echo "error: could not build module $name" >&2; return 1; }
}

build_config() {
  local yams="$root/.build/checkouts/Yams/Sources"
  [ -d "$yams" ] || (cd "$root" && swift package resolve >/dev/null)
  mkdir -p "$work/cyaml"
  for file in "$yams"/CYaml/src/*.c; do
    clang -c -g -O1 -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC -I "$yams/CYaml/include" "$file" \
      -o "$work/cyaml/$(basename "$file" .c).o"
  done
  build_module Yams -D SWIFT_PACKAGE -Xcc -DYAML_DECLARE_STATIC -I "$yams/CYaml/include" "$yams"/Yams/*.swift
  build_module AnyJSON -swift-version 6 "$root"/Sources/AnyJSON/*.swift
  build_module K2Models -swift-version 6 "$root"/Sources/K2Models/*.swift
  compile "$work/config.fuzz" -I "$work/modules" -I "$yams/CYaml/include" -Xcc -DYAML_DECLARE_STATIC \
    "$root"/Sources/K2Config/*.swift "$fuzz/ConfigLoaderFuzzTarget.swift" "$work"/modules/*.o "$work"/cyaml/*.o
}

failed=()
for target in "${targets[@]}"; do
  echo "== $target: building"
  case $target in
    frame) build_frame ;;
    sse) build_sse ;;
    edit-reply) build_edit_reply ;;
    config) build_config ;;
    *) echo "unknown target $target (frame, sse, edit-reply, config)" >&2; exit 2 ;;
  esac
  mkdir -p "$work/corpus-$target"
  echo "== $target: fuzzing for $seconds s"
  set +e
  SWIFT_BACKTRACE=enable=no "$work/$target.fuzz" \
    -artifact_prefix="${K2LSP_FUZZ_ARTIFACTS:-/tmp/k2lsp-fuzz-$target-}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=4096 -max_len=4096 -print_final_stats=1 -dict="$fuzz/dictionaries/$target.dict" \
    "$work/corpus-$target" "$fuzz/seeds/$target" > "$work/$target.log" 2>&1
  status=$?
  set -e
  grep -E "^#[0-9]+\s+(INITED|DONE)|^stat::number_of_executed_units|^stat::peak_rss|ERROR|SUMMARY|Test unit written" \
    "$work/$target.log" | head -n 12
  if ! grep -q "cov: " "$work/$target.log"; then
    echo "!! $target: libFuzzer reported no coverage (cov:); the build is not instrumented" >&2
    failed+=("$target")
  elif [ $status -ne 0 ]; then
    tail -n 40 "$work/$target.log" >&2
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
echo "all targets ran without a crash: ${targets[*]}"

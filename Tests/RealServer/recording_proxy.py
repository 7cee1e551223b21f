"""A recording proxy for the real-server runs: forwards every request to an OpenAI-compatible server and appends each
chat completion to a JSONL file (the request's messages and tool names, the reply's content and tool calls as the
stream assembled them, the finish reason), so that the model's raw replies can become reply-corpus cases.
Standard library only.  Usage: recording_proxy.py UPSTREAM_PORT LISTEN_PORT RECORD.jsonl"""
import http.client
import http.server
import json
import sys
import threading

upstream_port, listen_port, record_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
record_lock = threading.Lock()
hop_by_hop = {"host", "content-length", "connection", "transfer-encoding", "accept-encoding"}


def assembled(request, raw):
    """The reply as a client sees it: content, tool calls and finish reason, from SSE deltas or one JSON body."""
    content, calls, finish = "", {}, None
    text = raw.decode("utf-8", "replace")
    if not request.get("stream"):
        try:
            choice = json.loads(text)["choices"][0]
            message = choice["message"]
            for index, call in enumerate(message.get("tool_calls") or []):
                calls[index] = {"name": call["function"]["name"], "arguments": call["function"]["arguments"]}
            return message.get("content") or "", [calls[k] for k in sorted(calls)], choice.get("finish_reason")
        except (ValueError, KeyError, IndexError):
            return text, [], None
    for line in text.splitlines():
        data = line[5:].strip() if line.startswith("data:") else None
        if not data or data == "[DONE]":
            continue
        try:
            chunk = json.loads(data)
        except ValueError:
            continue
        for choice in chunk.get("choices", []):
            delta = choice.get("delta") or {}
            content += delta.get("content") or ""
            for call in delta.get("tool_calls") or []:
                slot = calls.setdefault(call.get("index", 0), {"name": "", "arguments": ""})
                function = call.get("function") or {}
                slot["name"] += function.get("name") or ""
                slot["arguments"] += function.get("arguments") or ""
            finish = choice.get("finish_reason") or finish
    return content, [calls[k] for k in sorted(calls)], finish


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *arguments):
        pass

    def forward(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=900)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in hop_by_hop}
        if body is not None:
            headers["Content-Length"] = str(len(body))
        upstream.request(method, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in hop_by_hop:
                self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        captured = bytearray()
        while chunk := response.read1(65536):
            captured += chunk
            self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            self.wfile.flush()
        # Recorded before the stream ends, so the record is complete when the client has its reply.
        if body and "chat/completions" in self.path:
            request = json.loads(body)
            content, calls, finish = assembled(request, bytes(captured))
            entry = {"status": response.status, "messages": request.get("messages"),
                     "tools": [t.get("function", {}).get("name") for t in request.get("tools") or []],
                     "content": content, "tool_calls": calls, "finish_reason": finish}
            with record_lock, open(record_path, "a") as record:
                record.write(json.dumps(entry) + "\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self.close_connection = True

    def do_GET(self):
        self.forward("GET")

    def do_POST(self):
        self.forward("POST")


http.server.ThreadingHTTPServer(("127.0.0.1", listen_port), Handler).serve_forever()

"""A minimal LSP client for the real-server check: starts `k2lsp serve`, opens a file, asks for an inline completion
and a k2/edit, and prints what came back. Standard library only."""
import json
import os
import subprocess
import sys
import time


class Client:
    def __init__(self, binary):
        self.process = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 10

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        request_id = self.next_id
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == request_id and "method" not in message:
                return message
            if "method" in message and "id" in message:  # a server request: accept it
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif message.get("method") == "window/showMessage":
                print("  showMessage:", message["params"]["message"])

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


def main():
    binary, workspace = sys.argv[1], sys.argv[2]
    path = os.path.join(workspace, "stats.py")
    text = "def mean(values):\n    total = sum(values)\n    return \n"
    with open(path, "w") as file:
        file.write(text)
    uri = "file://" + path
    client = Client(binary)
    started = time.monotonic()
    client.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + workspace, "capabilities": {
        "workspace": {"workspaceEdit": {"documentChanges": True}}, "textDocument": {"inlineCompletion": {}}}})
    print("initialize: %.0f ms" % ((time.monotonic() - started) * 1000))
    client.notify("initialized", {})
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})

    started = time.monotonic()
    completion = client.request("textDocument/inlineCompletion", {
        "textDocument": {"uri": uri}, "position": {"line": 2, "character": 11}, "context": {"triggerKind": 1}})
    print("inlineCompletion (%.1f s): %s" % (time.monotonic() - started, json.dumps(completion.get("result") or completion.get("error"))))

    started = time.monotonic()
    edit = client.request("k2/edit", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}},
        "instruction": "Return the mean, and return 0 for an empty list."})
    print("k2/edit (%.1f s): %s" % (time.monotonic() - started, json.dumps(edit.get("result") or edit.get("error"))))

    client.request("shutdown", None)
    client.notify("exit", None)
    print("exit code:", client.process.wait(timeout=10))


if __name__ == "__main__":
    main()

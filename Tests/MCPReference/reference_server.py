"""An MCP server on the reference Python SDK (PyPI `mcp`), for k2lsp's interoperability tests.

Usage: reference_server.py stdio
       reference_server.py http      (streamable HTTP on 127.0.0.1:PORT/mcp, answering as text/event-stream)
       reference_server.py http-json (the same, answering with application/json)
In the HTTP modes the first line on stdout is "PORT=<n>", the free port it serves on.
Exits 3 when the `mcp` package is not importable, so the tests can say so and skip.
"""

import socket
import sys

try:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
except ImportError as error:  # pragma: no cover - the test skips with this message
    print(f"the reference MCP SDK is not installed ({error}); pip install mcp", file=sys.stderr)
    sys.exit(3)

server = MCPServer("k2lsp-reference")


@server.tool()
def reverse(text: str) -> str:
    """Reverses a piece of text."""
    return text[::-1]


@server.tool(name="word.count")
def word_count(text: str, minimum_length: int = 1) -> int:
    """Counts the words of at least minimum_length characters."""
    return len([word for word in text.split() if len(word) >= minimum_length])


@server.tool()
def broken() -> str:
    """Always fails."""
    raise ToolError("the reference tool failed on purpose")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "stdio"
    if mode == "stdio":
        server.run()
    else:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        print(f"PORT={port}", flush=True)
        server.run("streamable-http", host="127.0.0.1", port=port, json_response=(mode == "http-json"))

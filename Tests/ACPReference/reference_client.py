"""A second opinion on `k2lsp acp`: the reference Python ACP SDK (PyPI `agent-client-protocol`) drives the agent.

Run by ACPReferenceSDKTests with the scripted K2 server already queued. Usage:
    reference_client.py K2LSP_BINARY WORKSPACE

The SDK parses every message into its pydantic models, so an answer or an update that does not follow the schema
fails here. Prints one JSON object with what the test checks; exits non-zero on any failure.
"""

import asyncio
import json
import os
import sys

import acp
from acp import schema, spawn_agent_process, text_block


class Editor:
    """The client side: a buffer for fs/read_text_file, writes recorded, permission always allowed once."""

    def __init__(self, buffers):
        self.buffers = dict(buffers)
        self.updates = []
        self.permission_requests = []
        self.writes = []

    def on_connect(self, conn):
        pass

    async def request_permission(self, session_id, tool_call, options, **kwargs):
        self.permission_requests.append(tool_call.tool_call_id)
        allow = next(option for option in options if option.kind == "allow_once")
        return schema.RequestPermissionResponse(
            outcome=schema.AllowedOutcome(outcome="selected", option_id=allow.option_id))

    async def session_update(self, session_id, update, **kwargs):
        self.updates.append(update)

    async def read_text_file(self, session_id, path, line=None, limit=None, **kwargs):
        if path not in self.buffers:
            raise acp.RequestError(-32002, f"Resource not found: {path}")
        return schema.ReadTextFileResponse(content=self.buffers[path])

    async def write_text_file(self, session_id, path, content, **kwargs):
        self.buffers[path] = content
        self.writes.append(path)
        return schema.WriteTextFileResponse()

    def kinds(self):
        return [update.session_update for update in self.updates]

    def text(self, kind):
        return "".join(update.content.text for update in self.updates if update.session_update == kind)


CAPABILITIES = schema.ClientCapabilities(fs=schema.FileSystemCapabilities(read_text_file=True, write_text_file=True))


async def start(binary, editor, workspace):
    return spawn_agent_process(lambda _agent: editor, binary, "acp", env=dict(os.environ), cwd=workspace)


async def main(binary, workspace):
    greeter = os.path.join(workspace, "Greeter.swift")
    with open(greeter, encoding="utf-8") as file:
        disk_text = file.read()
    editor = Editor({greeter: disk_text})
    report = {}
    async with await start(binary, editor, workspace) as (conn, _process):
        initialized = await conn.initialize(protocol_version=acp.PROTOCOL_VERSION, client_capabilities=CAPABILITIES)
        report["protocolVersion"] = initialized.protocol_version
        report["loadSession"] = initialized.agent_capabilities.load_session
        report["embeddedContext"] = initialized.agent_capabilities.prompt_capabilities.embedded_context

        session = await conn.new_session(cwd=workspace, mcp_servers=[])
        report["configOptions"] = [option.id for option in session.config_options]
        report["modes"] = [mode.id for mode in session.modes.available_modes]

        switched = await conn.set_config_option(config_id="model", session_id=session.session_id, value="thinking")
        report["modelAfterSwitch"] = switched.config_options[0].current_value

        answer = await conn.prompt(session_id=session.session_id, prompt=[text_block("Say hi instead of hello.")])
        report["stopReason"] = answer.stop_reason
        report["thought"] = editor.text("agent_thought_chunk")
        report["reply"] = editor.text("agent_message_chunk")
        report["kinds"] = sorted(set(editor.kinds()))
        report["permissionRequests"] = editor.permission_requests
        report["writes"] = [os.path.relpath(path, workspace) for path in editor.writes]
        report["buffer"] = editor.buffers[greeter]

        listed = await conn.list_sessions(cwd=workspace)
        report["listed"] = [info.session_id == session.session_id for info in listed.sessions]

    reloaded = Editor({})
    async with await start(binary, reloaded, workspace) as (conn, _process):
        await conn.initialize(protocol_version=acp.PROTOCOL_VERSION, client_capabilities=CAPABILITIES)
        loaded = await conn.load_session(cwd=workspace, session_id=session.session_id, mcp_servers=[])
        report["loadedModel"] = loaded.config_options[0].current_value
        report["replayedKinds"] = sorted(set(reloaded.kinds()))
        report["replayedPrompt"] = reloaded.text("user_message_chunk")

    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))

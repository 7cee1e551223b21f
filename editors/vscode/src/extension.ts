// The k2lsp extension: starts `k2lsp serve`, fills in the k2.* commands' selection and instruction, and forwards
// only the user's own settings.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Commands whose instruction the user must type; the others take an optional one. */
const instructionRequired = new Set(['k2.edit', 'k2.agent']);

/** The user-level value of a setting. Workspace and folder values are ignored on purpose: a cloned repository's
 * .vscode/settings.json must not pick the binary, the endpoint or the key variable. */
function userSetting<T>(key: string): T | undefined {
  return vscode.workspace.getConfiguration('k2lsp').inspect<T>(key)?.globalValue;
}

/** The k2lsp executable: the `k2lsp.path` user setting, else `k2lsp` on PATH. */
function findBinary(): string | undefined {
  const configured = userSetting<string>('path');
  if (configured) {
    return fs.existsSync(configured) ? configured : undefined;
  }
  const name = process.platform === 'win32' ? 'k2lsp.exe' : 'k2lsp';
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, name);
    if (folder && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** The argument of a k2.* command run from the palette, a menu or a key: the active editor's selection, the
 * diagnostics in it (for k2.fix) and the instruction from an input box. Undefined when the user cancels. */
async function commandArgument(languageClient: LanguageClient, command: string): Promise<object | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor && command !== 'k2.agent') {
    void vscode.window.showWarningMessage('K2: open a file and select the code first.');
    return undefined;
  }
  const title = command === 'k2.agent' ? 'K2 agent: what should it do?' : 'K2: instruction';
  const instruction = await vscode.window.showInputBox({
    title,
    prompt: instructionRequired.has(command) ? undefined : 'Optional: press Enter to go on without one',
    ignoreFocusOut: true,
  });
  if (instruction === undefined || (instructionRequired.has(command) && instruction.trim() === '')) {
    return undefined;
  }
  const argument: Record<string, unknown> = {};
  if (instruction.trim() !== '') {
    argument.instruction = instruction;
  }
  if (editor) {
    const c2p = languageClient.code2ProtocolConverter;
    argument.textDocument = c2p.asVersionedTextDocumentIdentifier(editor.document);
    argument.range = c2p.asRange(editor.selection);
    if (command === 'k2.fix') {
      const diagnostics = vscode.languages
        .getDiagnostics(editor.document.uri)
        .filter((diagnostic) => diagnostic.range.intersection(editor.selection) !== undefined);
      argument.diagnostics = await c2p.asDiagnostics(diagnostics);
    }
  }
  return argument;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const binary = findBinary();
  if (!binary) {
    void vscode.window.showErrorMessage(
      'K2: k2lsp was not found. Build it (swift build -c release) and put it on PATH, or set "k2lsp.path" in your user settings.',
    );
    return;
  }
  const serverOptions: ServerOptions = { command: binary, args: ['serve'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    initializationOptions: userSetting<object>('settings') ?? {},
    middleware: {
      // The server lists the k2.* commands and the client registers them; a command from a code action already
      // carries its argument, one from the palette gets the selection and an instruction here.
      executeCommand: async (command, args, next) => {
        if (args.length > 0 || !client) {
          return next(command, args);
        }
        const argument = await commandArgument(client, command);
        return argument === undefined ? undefined : next(command, [argument]);
      },
    },
  };
  client = new LanguageClient('k2lsp', 'K2 (k2lsp)', serverOptions, clientOptions);
  // Inline completion (LSP 3.18) is among the client's proposed features in vscode-languageclient 9.
  client.registerProposedFeatures();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('k2lsp.settings') && client) {
        void client.sendNotification('workspace/didChangeConfiguration', {
          settings: { k2lsp: userSetting<object>('settings') ?? {} },
        });
      }
      if (event.affectsConfiguration('k2lsp.path')) {
        void vscode.window.showInformationMessage('K2: reload the window to use the new k2lsp.path.');
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

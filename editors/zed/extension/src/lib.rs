// Starts `k2lsp serve` for the languages extension.toml lists; the program comes from PATH only.
use zed_extension_api::{self as zed, LanguageServerId, Result};

struct K2lspExtension;

impl zed::Extension for K2lspExtension {
    fn new() -> Self {
        K2lspExtension
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        // Never a path from settings: a project's .zed/settings.json must not pick the program Zed runs.
        let command = worktree.which("k2lsp").ok_or_else(|| {
            "k2lsp is not on PATH: build it (swift build -c release), put .build/release on PATH and restart Zed."
                .to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["serve".to_string()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(K2lspExtension);

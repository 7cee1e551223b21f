-- k2lsp as an ACP agent in CodeCompanion's chat (codecompanion.nvim with ACP adapters). Put this in your config.
-- The adapter extends CodeCompanion's preset for Kimi CLI, which needs no sign-in step, and starts `k2lsp acp`.
require('codecompanion').setup({
  adapters = {
    acp = {
      k2lsp = function()
        return require('codecompanion.adapters').extend('kimi_cli', {
          name = 'k2lsp',
          formatted_name = 'K2 (k2lsp)',
          commands = {
            default = { 'k2lsp', 'acp' }, -- or a full path
          },
          -- Only when Neovim's environment lacks them: values are taken from these environment variables.
          -- env = { K2_API_KEY = 'K2_API_KEY' },
        })
      end,
    },
  },
  interactions = {
    chat = { adapter = 'k2lsp' },
  },
})

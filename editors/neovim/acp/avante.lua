-- k2lsp as an ACP provider in avante.nvim. Put this in your config (or in lazy.nvim's `opts` for avante).
require('avante').setup({
  provider = 'k2lsp',
  acp_providers = {
    ['k2lsp'] = {
      command = 'k2lsp', -- or a full path
      args = { 'acp' },
      env = {
        K2_API_KEY = os.getenv('K2_API_KEY'),
      },
    },
  },
})

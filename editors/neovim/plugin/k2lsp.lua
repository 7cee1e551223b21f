-- The :K2* user commands; the server starts only once require('k2lsp').setup() has run.
if vim.g.loaded_k2lsp then
  return
end
vim.g.loaded_k2lsp = true

local function command(name, module, fn, options)
  vim.api.nvim_create_user_command(name, function(args)
    require(module)[fn](args)
  end, options)
end

command('K2Edit', 'k2lsp.commands', 'edit', { range = true, nargs = '*', desc = 'K2: edit the selection as instructed' })
command('K2Fix', 'k2lsp.commands', 'fix', { range = true, nargs = '*', desc = 'K2: fix the diagnostics on these lines' })
command('K2Doc', 'k2lsp.commands', 'document', { range = true, nargs = '*', desc = 'K2: document the selection' })
command('K2Tests', 'k2lsp.commands', 'tests', { range = true, nargs = '*', desc = 'K2: write tests for the selection' })
command('K2Refactor', 'k2lsp.commands', 'refactor', { range = true, nargs = '*', desc = 'K2: refactor the selection' })
command('K2Explain', 'k2lsp.commands', 'explain', { range = true, nargs = '*', desc = 'K2: explain the selection' })
command('K2Context', 'k2lsp.commands', 'context', {
  range = true,
  nargs = '?',
  complete = function()
    return { 'completion', 'edit', 'fix', 'refactor', 'document', 'tests', 'explain', 'agent' }
  end,
  desc = 'K2: what K2 would see here',
})
command('K2Doctor', 'k2lsp.commands', 'doctor', { nargs = 0, desc = 'K2: run k2lsp doctor' })

vim.api.nvim_create_user_command('K2Agent', function(args)
  local function run(instruction)
    if instruction and instruction ~= '' then
      require('k2lsp.agent').run(instruction, args)
    end
  end
  if args.args ~= '' then
    run(args.args)
  else
    vim.ui.input({ prompt = 'K2 agent: ' }, run)
  end
end, { range = true, nargs = '*', desc = 'K2: let the agent do a multi-step task' })

vim.api.nvim_create_user_command('K2Accept', function()
  require('k2lsp.preview').accept()
end, { desc = 'K2: apply the edit in the preview' })
vim.api.nvim_create_user_command('K2Reject', function()
  require('k2lsp.preview').reject()
end, { desc = 'K2: reject the edit in the preview' })

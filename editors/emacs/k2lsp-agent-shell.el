;;; k2lsp-agent-shell.el --- k2lsp as an ACP agent in agent-shell -*- lexical-binding: t; -*-

;;; Commentary:
;; `M-x k2lsp-agent-shell' starts `k2lsp acp' in an agent-shell buffer (xenodium/agent-shell, Emacs 29.1+).
;; k2lsp needs no sign-in: it reads K2_API_KEY (or K2_LOCAL_BASE_URL) from the environment Emacs gives it.

;;; Code:

(require 'agent-shell)

(defcustom k2lsp-agent-shell-command '("k2lsp" "acp")
  "Command and arguments that start k2lsp as an ACP agent."
  :type '(repeat string)
  :group 'agent-shell)

(defcustom k2lsp-agent-shell-environment nil
  "Extra environment for k2lsp, e.g. (\"K2_PROFILE=pro\")."
  :type '(repeat string)
  :group 'agent-shell)

(defun k2lsp-agent-shell-make-config ()
  "The agent-shell configuration for k2lsp."
  (agent-shell-make-agent-config
   :identifier 'k2lsp
   :mode-line-name "K2"
   :buffer-name "K2"
   :shell-prompt "K2> "
   :shell-prompt-regexp "K2> "
   :client-maker (lambda (buffer)
                   (agent-shell--make-acp-client
                    :command (car k2lsp-agent-shell-command)
                    :command-params (cdr k2lsp-agent-shell-command)
                    :environment-variables k2lsp-agent-shell-environment
                    :context-buffer buffer))
   :needs-authentication nil
   :install-instructions "Build k2lsp (swift build -c release), put it on exec-path and set K2_API_KEY."))

;;;###autoload
(defun k2lsp-agent-shell ()
  "Start a K2 agent shell."
  (interactive)
  (agent-shell--dwim :config (k2lsp-agent-shell-make-config) :new-shell t))

(provide 'k2lsp-agent-shell)
;;; k2lsp-agent-shell.el ends here

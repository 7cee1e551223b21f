;;; k2lsp.el --- Kimi K2 in Emacs through k2lsp, with eglot or lsp-mode -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: tools, languages, convenience
;; URL: see editors/emacs/README.md in the k2lsp repository

;;; Commentary:

;; k2lsp is a language server that brings Kimi K2 into any LSP editor.  This package registers `k2lsp serve'
;; with eglot (`k2lsp-eglot-register') or lsp-mode (`k2lsp-lsp-register', as an add-on next to your usual
;; server) and adds what plain LSP does not give:
;;
;; - `k2lsp-edit-region', `k2lsp-fix', `k2lsp-document', `k2lsp-tests', `k2lsp-refactor': K2's edit is shown
;;   as a diff in `*k2lsp preview*'; `a' (or C-c C-c) applies it, `r', `q' (or C-c C-k) rejects it.
;; - `k2lsp-explain': K2's Markdown answer in `*k2lsp explain*'.
;; - `k2lsp-agent': a multi-step task; its tool calls are listed in `*k2lsp agent*', its edit previewed.
;; - `k2lsp-inline-mode': ghost text from textDocument/inlineCompletion as an overlay; TAB accepts it.
;;
;; Positions are converted by the LSP client in use, so they match what it sends in didChange.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(declare-function eglot-current-server "eglot")
(declare-function eglot--pos-to-lsp-position "eglot")
(declare-function eglot--lsp-position-to-point "eglot")
(declare-function eglot--path-to-uri "eglot")
(declare-function eglot--uri-to-path "eglot")
(declare-function jsonrpc-async-request "jsonrpc")
(declare-function jsonrpc-notify "jsonrpc")
(declare-function lsp-request-async "lsp-mode")
(declare-function lsp-find-workspace "lsp-mode")
(declare-function lsp--point-to-position "lsp-mode")
(declare-function lsp--position-to-point "lsp-mode")
(declare-function lsp--buffer-uri "lsp-mode")
(declare-function lsp--uri-to-path "lsp-mode")
(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(defvar eglot-server-programs)
(defvar eglot--managed-mode)
(defvar eglot--versioned-identifier)
(defvar lsp-mode)
(defvar lsp--cur-version)
(defvar lsp--cur-workspace)

(defgroup k2lsp nil
  "Kimi K2 through the k2lsp language server."
  :group 'tools
  :prefix "k2lsp-")

(defcustom k2lsp-program "k2lsp"
  "The k2lsp executable."
  :type 'string)

(defcustom k2lsp-server-args '("serve")
  "Arguments for `k2lsp-program' to run the language server.
Add \"--log-file\" \"/tmp/k2lsp.log\" to debug."
  :type '(repeat string))

(defcustom k2lsp-major-modes
  '(python-mode python-ts-mode js-mode js-ts-mode typescript-mode typescript-ts-mode go-mode go-ts-mode
    rust-mode rust-ts-mode swift-mode c-mode c-ts-mode c++-mode c++-ts-mode java-mode java-ts-mode
    ruby-mode ruby-ts-mode sh-mode bash-ts-mode lua-mode)
  "Major modes k2lsp is registered for."
  :type '(repeat symbol))

(defcustom k2lsp-settings nil
  "Configuration sent to k2lsp as initializationOptions.
A plist such as (:profile \"pro\") with the keys of .k2lsp.yaml (see
protocol-docs/configuration.md).  API keys and base URLs belong in
your environment or your k2lsp user file, not here."
  :type 'plist)

(defcustom k2lsp-request-timeout 600
  "Seconds to wait for an edit, an explanation or an agent run."
  :type 'integer)

(defcustom k2lsp-inline-idle-delay 0.3
  "Idle seconds after typing before `k2lsp-inline-mode' asks K2."
  :type 'number)

(defface k2lsp-ghost-face '((t :inherit shadow))
  "Face of the inline suggestion.")

;;;; JSON values from either client

(defun k2lsp--get (object key)
  "Member KEY (a keyword) of OBJECT, a plist (eglot) or hash table (lsp-mode)."
  (cond ((hash-table-p object) (gethash (substring (symbol-name key) 1) object))
        ((listp object) (plist-get object key))))

(defun k2lsp--path (object &rest keys)
  "Follow KEYS into OBJECT."
  (dolist (key keys object)
    (setq object (k2lsp--get object key))))

;;;; The LSP client in use: eglot or lsp-mode

(defun k2lsp--backend ()
  "The client managing this buffer: `eglot', `lsp-mode', or nil."
  (cond ((and (bound-and-true-p eglot--managed-mode) (eglot-current-server)) 'eglot)
        ((and (bound-and-true-p lsp-mode) (k2lsp--lsp-workspace)) 'lsp-mode)))

(defun k2lsp--lsp-workspace ()
  "The lsp-mode workspace of the k2lsp client for this buffer."
  (and (fboundp 'lsp-find-workspace) (buffer-file-name)
       (lsp-find-workspace 'k2lsp (buffer-file-name))))

(defun k2lsp--require-backend ()
  "The client in use, or a `user-error' saying how to start one."
  (or (k2lsp--backend)
      (user-error "k2lsp is not running in this buffer: M-x eglot (after `k2lsp-eglot-register') or M-x lsp (after `k2lsp-lsp-register')")))

(defun k2lsp--position (&optional point)
  "The LSP position of POINT (default: point), as the client computes it."
  (setq point (or point (point)))
  (pcase (k2lsp--backend)
    ('eglot (eglot--pos-to-lsp-position point))
    (_ (lsp--point-to-position point))))

(defun k2lsp--point (position backend)
  "The buffer position of LSP POSITION, as BACKEND computes it."
  (pcase backend
    ('eglot (eglot--lsp-position-to-point position))
    (_ (lsp--position-to-point position))))

(defun k2lsp--uri ()
  "The URI of this buffer's file."
  (pcase (k2lsp--backend)
    ('eglot (eglot--path-to-uri (buffer-file-name)))
    (_ (lsp--buffer-uri))))

(defun k2lsp--uri-to-path (uri backend)
  "The file name of URI."
  (pcase backend
    ('eglot (eglot--uri-to-path uri))
    (_ (lsp--uri-to-path uri))))

(defun k2lsp--text-document ()
  "The versioned text document identifier of this buffer."
  (list :uri (k2lsp--uri)
        :version (pcase (k2lsp--backend)
                   ('eglot eglot--versioned-identifier)
                   (_ lsp--cur-version))))

(defun k2lsp--request (method params on-result &optional on-error)
  "Send METHOD with PARAMS to k2lsp and call ON-RESULT with the result.
ON-ERROR gets the error message; without it the message is shown."
  (let ((buffer (current-buffer))
        (fail (lambda (text)
                (if on-error (funcall on-error text) (message "K2: %s" text)))))
    (pcase (k2lsp--require-backend)
      ('eglot
       (jsonrpc-async-request
        (eglot-current-server) (intern method) params
        :success-fn (lambda (result) (with-current-buffer (if (buffer-live-p buffer) buffer (current-buffer))
                                       (funcall on-result result)))
        :error-fn (lambda (error) (funcall fail (or (k2lsp--get error :message) (format "%S" error))))
        :timeout-fn (lambda () (funcall fail (format "%s timed out" method)))
        :timeout k2lsp-request-timeout))
      ('lsp-mode
       (let ((lsp--cur-workspace (k2lsp--lsp-workspace)))
         (with-no-warnings
           (lsp-request-async
            method params
            (lambda (result) (with-current-buffer (if (buffer-live-p buffer) buffer (current-buffer))
                               (funcall on-result result)))
            :mode 'detached
            :error-handler (lambda (error)
                             (funcall fail (or (k2lsp--get error :message) (format "%S" error)))))))))))

;;;; Registration

(defun k2lsp--command ()
  "The server command line."
  (cons k2lsp-program k2lsp-server-args))

(defun k2lsp--initialization-options ()
  "`k2lsp-settings', or an empty JSON object."
  (or k2lsp-settings (make-hash-table)))

;;;###autoload
(defun k2lsp-eglot-register ()
  "Make eglot start k2lsp for `k2lsp-major-modes'.
eglot runs one server per buffer, so in these modes k2lsp replaces
your usual language server."
  (require 'eglot)
  (setq eglot-server-programs (cl-remove-if (lambda (entry) (equal (car entry) k2lsp-major-modes))
                                            eglot-server-programs))
  (push (cons k2lsp-major-modes
              (append (k2lsp--command)
                      (list :initializationOptions (lambda (_server) (k2lsp--initialization-options)))))
        eglot-server-programs))

;;;###autoload
(defun k2lsp-lsp-register ()
  "Register k2lsp with lsp-mode, as an add-on next to your usual server."
  (require 'lsp-mode)
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection #'k2lsp--command)
    :major-modes k2lsp-major-modes
    :server-id 'k2lsp
    :add-on? t
    :priority -1
    :initialization-options #'k2lsp--initialization-options
    :notification-handlers
    (let ((handlers (make-hash-table :test 'equal)))
      (puthash "k2/toolCall" (lambda (_workspace params) (k2lsp--on-tool-call params)) handlers)
      handlers))))

(with-eval-after-load 'eglot
  (cl-defmethod eglot-handle-notification (_server (_method (eql k2/toolCall)) &rest params)
    (k2lsp--on-tool-call params)))

;;;; Positions of commands

(defun k2lsp--region-range (start end)
  "The LSP range from START to END."
  (list :start (k2lsp--position start) :end (k2lsp--position end)))

(defun k2lsp--params (start end &optional instruction)
  "K2EditParams for the text from START to END."
  (append (list :textDocument (k2lsp--text-document)
                :range (k2lsp--region-range start end))
          (and instruction (not (string-empty-p instruction)) (list :instruction instruction))))

(defun k2lsp--region-or-line ()
  "The active region, else the current line, as (START END)."
  (if (use-region-p)
      (list (region-beginning) (region-end))
    (list (line-beginning-position) (min (point-max) (1+ (line-end-position))))))

;;;; The edit preview

(defvar-local k2lsp--preview nil
  "In the preview buffer, the edit it shows and where it came from.
A plist (:edit EDIT :backend BACKEND :files FILES :title TITLE :on-done FN).")

(defvar k2lsp-preview-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "a") #'k2lsp-preview-accept)
    (define-key map (kbd "C-c C-c") #'k2lsp-preview-accept)
    (define-key map (kbd "r") #'k2lsp-preview-reject)
    (define-key map (kbd "q") #'k2lsp-preview-reject)
    (define-key map (kbd "C-c C-k") #'k2lsp-preview-reject)
    map)
  "Keys of `*k2lsp preview*'.")

(define-derived-mode k2lsp-preview-mode diff-mode "K2-Preview"
  "A K2 edit shown as a diff.
`a' or \\[k2lsp-preview-accept] applies it; `r', `q' or C-c C-k reject it."
  (setq buffer-read-only t))

(defun k2lsp--files-of (edit backend)
  "The files EDIT changes: a list of (:path PATH :edits EDITS :created BOOL)."
  (let (files)
    (cl-flet ((file (uri)
                (let ((path (k2lsp--uri-to-path uri backend)))
                  (or (cl-find path files :key (lambda (f) (plist-get f :path)) :test #'equal)
                      (car (push (list :path path :edits nil :created nil) files))))))
      (seq-doseq (change (or (k2lsp--get edit :documentChanges) []))
        (if (equal (k2lsp--get change :kind) "create")
            (plist-put (file (k2lsp--get change :uri)) :created t)
          (let ((entry (file (k2lsp--path change :textDocument :uri))))
            (plist-put entry :edits (append (plist-get entry :edits)
                                            (append (k2lsp--get change :edits) nil))))))
      (let ((changes (k2lsp--get edit :changes)))
        (cond ((hash-table-p changes)
               (maphash (lambda (uri edits)
                          (let ((entry (file uri)))
                            (plist-put entry :edits (append (plist-get entry :edits) (append edits nil)))))
                        changes))
              ((consp changes)
               (cl-loop for (key edits) on changes by #'cddr
                        do (let ((entry (file (substring (symbol-name key) 1))))
                             (plist-put entry :edits (append (plist-get entry :edits) (append edits nil)))))))))
    (nreverse files)))

(defun k2lsp--current-text (path)
  "The text of PATH as the user has it: its buffer, else the file, else \"\"."
  (let ((buffer (find-buffer-visiting path)))
    (cond (buffer (with-current-buffer buffer (save-restriction (widen) (buffer-substring-no-properties (point-min) (point-max)))))
          ((file-readable-p path) (with-temp-buffer (insert-file-contents path) (buffer-string)))
          (t ""))))

(defun k2lsp--apply-text-edits (edits backend)
  "Apply LSP EDITS to the current buffer as one undo step.
Positions are converted as BACKEND converts them."
  (let ((regions (mapcar (lambda (edit)
                           (let ((range (k2lsp--get edit :range)))
                             (list (copy-marker (k2lsp--point (k2lsp--get range :start) backend))
                                   (copy-marker (k2lsp--point (k2lsp--get range :end) backend) t)
                                   (k2lsp--get edit :newText))))
                         edits))
        (group (prepare-change-group)))
    (unwind-protect
        (progn
          (activate-change-group group)
          (save-excursion
            (save-restriction
              (widen)
              ;; Later edits first, so earlier positions stay valid.
              (dolist (region (sort regions (lambda (a b) (> (car a) (car b)))))
                (goto-char (nth 0 region))
                (delete-region (nth 0 region) (nth 1 region))
                (insert (nth 2 region)))))
          (accept-change-group group))
      (undo-amalgamate-change-group group)
      (dolist (region regions)
        (set-marker (nth 0 region) nil)
        (set-marker (nth 1 region) nil)))))

(defun k2lsp--edited-text (text edits backend)
  "TEXT after EDITS, computed in a scratch buffer with BACKEND's positions."
  (with-temp-buffer
    (insert text)
    (k2lsp--apply-text-edits edits backend)
    (buffer-string)))

(defun k2lsp--diff (old new name created)
  "A unified diff of OLD and NEW text, with file NAME in the headers."
  (let ((old-file (make-temp-file "k2lsp-old"))
        (new-file (make-temp-file "k2lsp-new")))
    (unwind-protect
        (progn
          (with-temp-file old-file (insert old))
          (with-temp-file new-file (insert new))
          (with-temp-buffer
            (call-process "diff" nil t nil "-u"
                          "--label" (if created "/dev/null" (concat "a/" name))
                          "--label" (concat "b/" name) old-file new-file)
            (buffer-string)))
      (delete-file old-file)
      (delete-file new-file))))

(defun k2lsp--relative (path)
  "PATH relative to the project, for diff headers."
  (let ((root (or (and (fboundp 'project-current) (project-current)
                       (expand-file-name (if (fboundp 'project-root) (project-root (project-current))
                                           (car (with-no-warnings (project-roots (project-current)))))))
                  default-directory)))
    (file-relative-name path root)))

(defun k2lsp--show-preview (edit title &optional summary on-done)
  "Show EDIT as a diff titled TITLE; nothing changes until it is accepted.
SUMMARY heads the diff.  ON-DONE is called with t (applied) or nil."
  (let* ((backend (k2lsp--backend))
         (files (k2lsp--files-of edit backend)))
    (if (null files)
        (message "%s: K2 suggested no change.%s" title (if summary (concat " " summary) ""))
      (let ((text ""))
        (dolist (file files)
          (let* ((path (plist-get file :path))
                 (old (if (plist-get file :created) "" (k2lsp--current-text path)))
                 (new (k2lsp--edited-text old (plist-get file :edits) backend)))
            (plist-put file :before old)
            (setq text (concat text (k2lsp--diff old new (k2lsp--relative path) (plist-get file :created))))))
        (let ((buffer (get-buffer-create "*k2lsp preview*")))
          (with-current-buffer buffer
            (let ((inhibit-read-only t))
              (erase-buffer)
              (when summary (insert "# " (replace-regexp-in-string "\n" " " summary) "\n"))
              (insert text))
            (k2lsp-preview-mode)
            (setq header-line-format
                  (format "%s — %d file(s)   a / C-c C-c: apply   r / q / C-c C-k: reject" title (length files)))
            (setq k2lsp--preview (list :edit edit :backend backend :files files :title title :on-done on-done))
            (goto-char (point-min)))
          (pop-to-buffer buffer))))))

(defun k2lsp--finish-preview (applied)
  "Close the preview and report APPLIED to its caller."
  (let ((preview k2lsp--preview)
        (buffer (current-buffer)))
    (setq k2lsp--preview nil)
    (quit-window nil (get-buffer-window buffer))
    (kill-buffer buffer)
    (when (plist-get preview :on-done)
      (funcall (plist-get preview :on-done) applied))))

(defun k2lsp-preview-accept ()
  "Apply the previewed edit, unless a file it changes has changed since."
  (interactive)
  (let* ((preview (or k2lsp--preview (user-error "No K2 edit to apply here")))
         (backend (plist-get preview :backend))
         (files (plist-get preview :files))
         (changed (cl-find-if (lambda (file)
                                (and (not (plist-get file :created))
                                     (not (equal (k2lsp--current-text (plist-get file :path))
                                                 (plist-get file :before)))))
                              files)))
    (if changed
        (progn
          (k2lsp--finish-preview nil)
          (message "%s: %s changed after K2 made this edit, so nothing was applied; run the command again"
                   (plist-get preview :title) (plist-get changed :path)))
      (dolist (file files)
        (with-current-buffer (find-file-noselect (plist-get file :path))
          (k2lsp--apply-text-edits (plist-get file :edits) backend)))
      (k2lsp--finish-preview t)
      (message "%s: applied to %d file(s)" (plist-get preview :title) (length files)))))

(defun k2lsp-preview-reject ()
  "Throw the previewed edit away; nothing changes."
  (interactive)
  (let ((title (plist-get k2lsp--preview :title)))
    (k2lsp--finish-preview nil)
    (message "%s: edit rejected, nothing changed" (or title "K2"))))

;;;; Edit commands

(defun k2lsp--edit-result (title)
  "A handler that previews the edit of a k2/edit-like result."
  (lambda (result)
    (k2lsp--show-preview (k2lsp--get result :edit) title (k2lsp--get result :summary))))

;;;###autoload
(defun k2lsp-edit-region (start end instruction)
  "Ask K2 to edit START..END as INSTRUCTION says; the edit is previewed."
  (interactive (append (k2lsp--region-or-line) (list (read-string "K2 edit: "))))
  (k2lsp--require-backend)
  (when (string-empty-p instruction) (user-error "K2 needs an instruction"))
  (k2lsp--request "k2/edit" (k2lsp--params start end instruction) (k2lsp--edit-result "K2: edit")))

(defun k2lsp--resolve-command (command title kind start end &optional instruction diagnostics)
  "Run k2 COMMAND on START..END and preview its edit, titled TITLE.
codeAction/resolve (with KIND) returns the edit without applying it.
INSTRUCTION and DIAGNOSTICS are passed on when given."
  (let ((params (k2lsp--params start end instruction)))
    (when diagnostics (setq params (append params (list :diagnostics diagnostics))))
    (k2lsp--request "codeAction/resolve"
                    (list :title title :kind kind :data (list :command command :argument params))
                    (lambda (action) (k2lsp--show-preview (k2lsp--get action :edit) title)))))

(defun k2lsp--flymake-diagnostics (start end)
  "The Flymake diagnostics between START and END, as LSP diagnostics."
  (when (fboundp 'flymake-diagnostics)
    (vconcat
     (mapcar (lambda (diagnostic)
               (list :range (k2lsp--region-range (flymake-diagnostic-beg diagnostic)
                                                 (flymake-diagnostic-end diagnostic))
                     :severity (pcase (flymake-diagnostic-type diagnostic)
                                 ((or 'eglot-error :error) 1) ((or 'eglot-warning :warning) 2) (_ 3))
                     :message (flymake-diagnostic-text diagnostic)))
             (flymake-diagnostics start end)))))

;;;###autoload
(defun k2lsp-fix (start end &optional instruction)
  "Ask K2 to fix the diagnostics between START and END.
Interactively the region, or this line; INSTRUCTION is an optional hint."
  (interactive (append (k2lsp--region-or-line) (list (read-string "K2 fix (optional hint): "))))
  (let ((diagnostics (k2lsp--flymake-diagnostics start end)))
    (k2lsp--resolve-command "k2.fix" "K2: fix" "quickfix" start end instruction
                            (and (> (length diagnostics) 0) diagnostics))))

;;;###autoload
(defun k2lsp-document (start end)
  "Ask K2 to document the code between START and END."
  (interactive (k2lsp--region-or-line))
  (k2lsp--resolve-command "k2.document" "K2: document" "refactor.rewrite" start end))

;;;###autoload
(defun k2lsp-tests (start end)
  "Ask K2 to write tests for the code between START and END."
  (interactive (k2lsp--region-or-line))
  (k2lsp--resolve-command "k2.tests" "K2: tests" "source" start end))

;;;###autoload
(defun k2lsp-refactor (start end &optional instruction)
  "Ask K2 to refactor the code between START and END."
  (interactive (append (k2lsp--region-or-line) (list (read-string "K2 refactor (optional hint): "))))
  (k2lsp--resolve-command "k2.refactor" "K2: refactor" "refactor.rewrite" start end instruction))

;;;###autoload
(defun k2lsp-explain (start end &optional question)
  "Show K2's explanation of START..END, or its answer to QUESTION."
  (interactive (append (k2lsp--region-or-line) (list (read-string "Question (optional): "))))
  (k2lsp--request
   "k2/explain" (k2lsp--params start end question)
   (lambda (result)
     (with-current-buffer (get-buffer-create "*k2lsp explain*")
       (let ((inhibit-read-only t))
         (erase-buffer)
         (insert (or (k2lsp--get result :markdown) "")))
       (if (fboundp 'gfm-view-mode) (gfm-view-mode) (special-mode))
       (goto-char (point-min))
       (display-buffer (current-buffer))))))

;;;; The agent

(defvar k2lsp--agent-run nil
  "The running agent: (:buffer BUFFER :steps ALIST-OF-STEP-TO-MARKER).")

(defun k2lsp--one-line (text limit)
  "TEXT on one line, at most LIMIT characters."
  (let ((line (replace-regexp-in-string "\r?\n" " ⏎ " (format "%s" (or text "")))))
    (if (> (length line) limit) (concat (substring line 0 (1- limit)) "…") line)))

(defun k2lsp--describe-arguments (arguments)
  "ARGUMENTS of a tool call as `key=value' pairs in key order."
  (if (stringp arguments)
      (k2lsp--one-line arguments 60)
    (let (pairs)
      (if (hash-table-p arguments)
          (maphash (lambda (key value) (push (cons key value) pairs)) arguments)
        (cl-loop for (key value) on arguments by #'cddr
                 do (push (cons (substring (symbol-name key) 1) value) pairs)))
      (mapconcat (lambda (pair) (format "%s=%s" (car pair) (k2lsp--one-line (cdr pair) 40)))
                 (sort pairs (lambda (a b) (string< (car a) (car b)))) " "))))

(defun k2lsp--agent-append (text)
  "Append a line to the agent's step buffer."
  (let ((buffer (plist-get k2lsp--agent-run :buffer)))
    (when (buffer-live-p buffer)
      (with-current-buffer buffer
        (let ((inhibit-read-only t))
          (goto-char (point-max))
          (insert text "\n"))))))

(defun k2lsp--on-tool-call (params)
  "Show one k2/toolCall notification in the agent's step buffer."
  (let ((buffer (plist-get k2lsp--agent-run :buffer)))
    (when (buffer-live-p buffer)
      (let* ((step (k2lsp--get params :step))
             (status (k2lsp--get params :status))
             (line (format "%3d %-15s %s  %s" step (k2lsp--get params :tool)
                           (k2lsp--describe-arguments (k2lsp--get params :arguments))
                           (pcase status
                             ("started" "…")
                             ("done" (concat "✓ " (k2lsp--one-line (k2lsp--get params :resultPreview) 80)))
                             (_ (concat "✗ " (k2lsp--one-line (or (k2lsp--get params :resultPreview) "failed") 80))))))
             (marker (alist-get step (plist-get k2lsp--agent-run :steps))))
        (with-current-buffer buffer
          (let ((inhibit-read-only t))
            (if marker
                (save-excursion
                  (goto-char marker)
                  (delete-region (line-beginning-position) (line-end-position))
                  (insert line))
              (goto-char (point-max))
              (setf (alist-get step (plist-get k2lsp--agent-run :steps)) (point-marker))
              (insert line "\n"))))))))

;;;###autoload
(defun k2lsp-agent (instruction)
  "Let K2's agent carry out INSTRUCTION over the workspace.
Its steps show in `*k2lsp agent*', its edit in the preview."
  (interactive (list (read-string "K2 agent: ")))
  (k2lsp--require-backend)
  (when (string-empty-p instruction) (user-error "K2 needs an instruction"))
  (let ((buffer (get-buffer-create "*k2lsp agent*")))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert "K2 agent: " (k2lsp--one-line instruction 200) "\n"))
      (special-mode))
    (setq k2lsp--agent-run (list :buffer buffer :steps nil))
    (display-buffer buffer)
    (k2lsp--request
     "k2/agent"
     (append (list :instruction instruction)
             (and (buffer-file-name) (list :textDocument (list :uri (k2lsp--uri))))
             (and (use-region-p) (list :range (k2lsp--region-range (region-beginning) (region-end)))))
     (lambda (result)
       (let ((steps (length (k2lsp--get result :steps))))
         (k2lsp--agent-append
          (format "Done (%d tool call%s, %s): %s" steps (if (= steps 1) "" "s")
                  (or (k2lsp--get result :model) "K2") (k2lsp--one-line (k2lsp--get result :summary) 500))))
       (k2lsp--show-preview (k2lsp--get result :edit) "K2: agent" (k2lsp--get result :summary)
                            (lambda (applied)
                              (k2lsp--agent-append (if applied "Applied." "Rejected: nothing changed.")))))
     (lambda (error)
       (k2lsp--agent-append (concat "Failed: " error))
       (message "K2 agent: %s" error)))))

;;;; Inline suggestions

(defvar-local k2lsp--suggestion nil
  "The shown suggestion, a plist.
\(:overlay OVERLAY :items ITEMS :index N :point POINT :tick TICK
 :backend BACKEND)")

(defvar-local k2lsp--suggestion-visible nil
  "Non-nil while a suggestion is shown (turns `k2lsp-suggestion-map' on).")

(defvar k2lsp-suggestion-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "TAB") #'k2lsp-accept-suggestion)
    (define-key map (kbd "<tab>") #'k2lsp-accept-suggestion)
    (define-key map (kbd "M-]") #'k2lsp-next-suggestion)
    (define-key map (kbd "M-[") #'k2lsp-previous-suggestion)
    (define-key map (kbd "C-c C-k") #'k2lsp-dismiss-suggestion)
    map)
  "Keys active while a K2 suggestion is shown.")

(defvar k2lsp--emulation-alist `((k2lsp--suggestion-visible . ,k2lsp-suggestion-map)))
(add-to-list 'emulation-mode-map-alists 'k2lsp--emulation-alist)

(defvar-local k2lsp--idle-timer nil)
(defvar-local k2lsp--request-tick 0
  "Counts suggestion requests, so only the newest answer is shown.")

(defun k2lsp--item-text (item)
  "The text of an InlineCompletionItem."
  (let ((text (k2lsp--get item :insertText)))
    (if (stringp text) text (or (k2lsp--get text :value) ""))))

(defun k2lsp-dismiss-suggestion ()
  "Hide the shown suggestion."
  (interactive)
  (when-let ((overlay (plist-get k2lsp--suggestion :overlay)))
    (delete-overlay overlay))
  (setq k2lsp--suggestion nil
        k2lsp--suggestion-visible nil))

(defun k2lsp-suggestion-visible-p ()
  "Whether a K2 suggestion is shown in this buffer."
  (and k2lsp--suggestion-visible (plist-get k2lsp--suggestion :overlay) t))

(defun k2lsp--show-suggestion ()
  "Draw the current item of `k2lsp--suggestion' after point."
  (let* ((items (plist-get k2lsp--suggestion :items))
         (item (nth (plist-get k2lsp--suggestion :index) items))
         (start (plist-get k2lsp--suggestion :point))
         (text (k2lsp--item-text item))
         (range (k2lsp--get item :range)))
    (when-let ((old (plist-get k2lsp--suggestion :overlay))) (delete-overlay old))
    ;; An item whose range starts before point repeats what was typed; show only the rest.
    (when range
      (let ((range-start (k2lsp--point (k2lsp--get range :start) (plist-get k2lsp--suggestion :backend))))
        (when (< range-start start)
          (setq text (substring text (min (length text) (- start range-start)))))))
    (let ((overlay (make-overlay start start nil t nil))
          (shown (propertize text 'face 'k2lsp-ghost-face)))
      (when (> (length shown) 0) (put-text-property 0 1 'cursor t shown))
      (overlay-put overlay 'after-string shown)
      (overlay-put overlay 'k2lsp t)
      (setq k2lsp--suggestion (plist-put k2lsp--suggestion :overlay overlay)
            k2lsp--suggestion-visible t))))

;;;###autoload
(defun k2lsp-inline-suggest (&optional automatic)
  "Ask K2 for a suggestion at point and show it as ghost text.
TAB accepts it.  AUTOMATIC non-nil means typing triggered it
\(triggerKind 2) rather than a key (1)."
  (interactive)
  (k2lsp-dismiss-suggestion)
  (let* ((backend (k2lsp--require-backend))
         (buffer (current-buffer))
         (start (point))
         (tick (buffer-chars-modified-tick))
         (request (cl-incf k2lsp--request-tick)))
    (k2lsp--request
     "textDocument/inlineCompletion"
     (list :textDocument (list :uri (k2lsp--uri))
           :position (k2lsp--position start)
           :context (list :triggerKind (if automatic 2 1)))
     (lambda (result)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer
           (let ((items (cl-remove-if (lambda (item) (string-empty-p (k2lsp--item-text item)))
                                      (append (if (vectorp result) result (k2lsp--get result :items)) nil))))
             (when (and items (= request k2lsp--request-tick) (= (point) start)
                        (= tick (buffer-chars-modified-tick)))
               (setq k2lsp--suggestion (list :items items :index 0 :point start :tick tick :backend backend))
               (k2lsp--show-suggestion))))))
     (lambda (error) (unless automatic (message "K2: %s" error))))))

(defun k2lsp-accept-suggestion ()
  "Insert the shown suggestion."
  (interactive)
  (let* ((item (nth (plist-get k2lsp--suggestion :index) (plist-get k2lsp--suggestion :items)))
         (backend (plist-get k2lsp--suggestion :backend))
         (range (k2lsp--get item :range))
         (start (if range (k2lsp--point (k2lsp--get range :start) backend) (plist-get k2lsp--suggestion :point)))
         (end (if range (k2lsp--point (k2lsp--get range :end) backend) start))
         (text (k2lsp--item-text item)))
    (k2lsp-dismiss-suggestion)
    (when item
      (goto-char start)
      (delete-region start end)
      (insert text))))

(defun k2lsp--cycle (step)
  "Show the item STEP away, or ask again when there is only one."
  (let ((items (plist-get k2lsp--suggestion :items)))
    (if (> (length items) 1)
        (progn
          (setq k2lsp--suggestion
                (plist-put k2lsp--suggestion :index (mod (+ (plist-get k2lsp--suggestion :index) step) (length items))))
          (k2lsp--show-suggestion))
      (k2lsp-inline-suggest))))

(defun k2lsp-next-suggestion ()
  "Show the next suggestion."
  (interactive)
  (k2lsp--cycle 1))

(defun k2lsp-previous-suggestion ()
  "Show the previous suggestion."
  (interactive)
  (k2lsp--cycle -1))

(defun k2lsp--post-command ()
  "Hide a stale suggestion, and asks again after typing pauses."
  (unless (memq this-command '(k2lsp-accept-suggestion k2lsp-next-suggestion k2lsp-previous-suggestion
                                                       k2lsp-inline-suggest))
    (when (and k2lsp--suggestion
               (or (/= (point) (plist-get k2lsp--suggestion :point))
                   (/= (buffer-chars-modified-tick) (plist-get k2lsp--suggestion :tick))
                   (eq this-command 'keyboard-quit)))
      (k2lsp-dismiss-suggestion))
    (when (timerp k2lsp--idle-timer) (cancel-timer k2lsp--idle-timer))
    (when (and (memq this-command '(self-insert-command newline delete-backward-char))
               (k2lsp--backend))
      (let ((buffer (current-buffer)))
        (setq k2lsp--idle-timer
              (run-with-idle-timer k2lsp-inline-idle-delay nil
                                   (lambda ()
                                     (when (and (buffer-live-p buffer) (eq buffer (current-buffer)))
                                       (k2lsp-inline-suggest t)))))))))

;;;###autoload
(define-minor-mode k2lsp-inline-mode
  "Ghost text from K2 while you type.
TAB accepts, M-] and M-[ cycle, C-c C-k dismisses."
  :lighter " K2"
  (if k2lsp-inline-mode
      (add-hook 'post-command-hook #'k2lsp--post-command nil t)
    (remove-hook 'post-command-hook #'k2lsp--post-command t)
    (k2lsp-dismiss-suggestion)))

(provide 'k2lsp)
;;; k2lsp.el ends here

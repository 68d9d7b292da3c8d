
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dockercfg' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dockercfg'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dockercfg' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every registry you are logged in to, and where each secret lives')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List every registry you are logged in to, and where each secret lives')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry (Docker Hub if none), storing the secret where docker would')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out of registries: remove their logins from config.json and from helpers')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move plaintext credentials from config.json into a credential store, verifying each')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Report security problems: plaintext secrets, loose permissions, missing helpers, expired tokens')
            [CompletionResult]::new('fix-perms', 'fix-perms', [CompletionResultType]::ParameterValue, 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)')
            [CompletionResult]::new('fix-permissions', 'fix-permissions', [CompletionResultType]::ParameterValue, 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a registry''s credentials as the helper protocol''s JSON (prints a secret)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Say which credential a client would use for an image, and why (never prints the secret)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write resolved credentials as a standalone config.json or a Kubernetes Secret (prints secrets)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a private, temporary config holding only the logins named')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy logins between docker''s config.json and podman''s auth.json, with each side''s key rules')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print dockercfg''s version (with --json: version, commit, target)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dockercfg;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format the output: ''table'', ''table TEMPLATE'', ''json'' (one object per line) or a TEMPLATE per login, as docker''s --format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the registries, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the registries, one per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array: registry, username, source, helper, kind, token, expires, error')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;ls' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format the output: ''table'', ''table TEMPLATE'', ''json'' (one object per line) or a TEMPLATE per login, as docker''s --format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the registries, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the registries, one per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array: registry, username, source, helper, kind, token, expires, error')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;login' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Username')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Password or token (insecure: visible to other users; prefer --password-stdin)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password or token (insecure: visible to other users; prefer --password-stdin)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in FILE (PEM) when verifying (repeatable)')
            [CompletionResult]::new('--cert-dir', '--cert-dir', [CompletionResultType]::ParameterName, 'Read the registry''s CAs (*.crt) and client certificate (NAME.cert + NAME.key) from DIR instead of certs.d')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password or token from one line of stdin')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store without asking the registry whether the credentials work')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS when verifying')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;logout' {
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Log out of every login whose registry matches this glob (repeatable; case-insensitive, with or without https://)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Log out of every login that `list` shows')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Log out of every login whose token has expired (JWT `exp`, AWS ECR `expiration`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of the logins removed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;migrate' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Move every plaintext login into this store and set "credsStore" (pass, secretservice, osxkeychain, wincred, ...)')
            [CompletionResult]::new('--helper', '--helper', [CompletionResultType]::ParameterName, 'Move REGISTRY''s login into helper NAME and set "credHelpers" for it; a glob such as ''*.gcr.io'' is matched against the plaintext logins (repeatable)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'How many helper calls to run at once [default: the number of CPUs]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many helper calls to run at once [default: the number of CPUs]')
            [CompletionResult]::new('--backup', '--backup', [CompletionResultType]::ParameterName, 'Copy config.json to FILE (mode 0600; FILE must not exist) before changing anything')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--overwrite', '--overwrite', [CompletionResultType]::ParameterName, 'Replace a different secret that the store already holds for a registry')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing (only the helpers'' `list` is called)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array: registry, username, from, to, status, error')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but warnings and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but warnings and errors')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;audit' {
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding of this severity or worse exists')
            [CompletionResult]::new('--expiry-warning', '--expiry-warning', [CompletionResultType]::ParameterName, 'Warn about tokens that expire within this time (e.g. 24h, 90m, 2d)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of findings: code, severity, registry, message, fix')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also read secrets from helpers (`get`) to check their expiry; never prints them')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply the safe fixes (permissions and owner) first, then report the rest')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;fix-perms' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Change nothing; list what would change and exit 1 if anything would')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;fix-permissions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Change nothing; list what would change and exit 1 if anything would')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;get' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Print only the username')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Allow printing the secret to a terminal')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;explain' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: reference, registry, repository, rules, keys, source, key, helper, file, username, kind, steps, problems')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;export' {
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'A registry to export (repeatable); any spelling (docker.io, https://ghcr.io)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (created 0600) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (created 0600) instead of stdout')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The Secret''s name (a DNS-1123 subdomain); required with --format k8s-secret')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The Secret''s namespace')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Export every login that `list` shows')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--skip-unresolved', '--skip-unresolved', [CompletionResultType]::ParameterName, 'Leave out logins that cannot be resolved, with a warning, instead of failing')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;exec' {
            [CompletionResult]::new('--inherit', '--inherit', [CompletionResultType]::ParameterName, 'Copy your current login for REGISTRY into the private config (repeatable)')
            [CompletionResult]::new('--login', '--login', [CompletionResultType]::ParameterName, 'Log in to REGISTRY in the private config only (repeatable; needs --username and a password)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The username for each --login, in order')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The username for each --login, in order')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Take the password or token of each --login, in order, from environment variable VAR')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in FILE (PEM) when verifying a --login (repeatable)')
            [CompletionResult]::new('--cert-dir', '--cert-dir', [CompletionResultType]::ParameterName, 'Read the registry''s CAs (*.crt) and client certificate (NAME.cert + NAME.key) from DIR instead of certs.d')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password or token of the one --login from one line of stdin')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Use --login credentials without asking the registry whether they work')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS when verifying a --login')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;sync' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The side to write: podman or docker')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Sync only this registry (repeatable; any spelling); default: every login of the other side')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would change and change nothing')
            [CompletionResult]::new('--plaintext', '--plaintext', [CompletionResultType]::ParameterName, 'Copy secrets held in a helper into the file as plaintext instead of referencing the helper')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;version' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Directory holding config.json (as `docker --config`), or a path to a .json file')
            [CompletionResult]::new('--authfile', '--authfile', [CompletionResultType]::ParameterName, 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json')
            [CompletionResult]::new('--helper-timeout', '--helper-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a credential helper before giving up')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for another dockercfg to finish writing the file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: version, commit (null when unknown), target')
            [CompletionResult]::new('--podman', '--podman', [CompletionResultType]::ParameterName, 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dockercfg;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every registry you are logged in to, and where each secret lives')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry (Docker Hub if none), storing the secret where docker would')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out of registries: remove their logins from config.json and from helpers')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move plaintext credentials from config.json into a credential store, verifying each')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Report security problems: plaintext secrets, loose permissions, missing helpers, expired tokens')
            [CompletionResult]::new('fix-perms', 'fix-perms', [CompletionResultType]::ParameterValue, 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a registry''s credentials as the helper protocol''s JSON (prints a secret)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Say which credential a client would use for an image, and why (never prints the secret)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write resolved credentials as a standalone config.json or a Kubernetes Secret (prints secrets)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a private, temporary config holding only the logins named')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy logins between docker''s config.json and podman''s auth.json, with each side''s key rules')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print dockercfg''s version (with --json: version, commit, target)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dockercfg;help;list' {
            break
        }
        'dockercfg;help;login' {
            break
        }
        'dockercfg;help;logout' {
            break
        }
        'dockercfg;help;migrate' {
            break
        }
        'dockercfg;help;audit' {
            break
        }
        'dockercfg;help;fix-perms' {
            break
        }
        'dockercfg;help;get' {
            break
        }
        'dockercfg;help;completions' {
            break
        }
        'dockercfg;help;explain' {
            break
        }
        'dockercfg;help;export' {
            break
        }
        'dockercfg;help;exec' {
            break
        }
        'dockercfg;help;sync' {
            break
        }
        'dockercfg;help;version' {
            break
        }
        'dockercfg;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

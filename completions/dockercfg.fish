complete --keep-order --exclusive --command dockercfg --arguments "(COMPLETE=fish dockercfg -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"

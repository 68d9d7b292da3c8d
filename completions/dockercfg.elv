
set edit:completion:arg-completer[dockercfg] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) COMPLETE="elvish" dockercfg -- $@words) | to-lines
}


"""`datapact check`: the pull request verdict of the GitHub App, in any CI, from git."""

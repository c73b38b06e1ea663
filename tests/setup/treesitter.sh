#!/usr/bin/env bash
# Installs the tree-sitter parsers that check the syntax of the phone shells (Compose
# and SwiftUI cannot be compiled here): tree-sitter with tree-sitter-kotlin 1.1.0 and
# tree-sitter-swift 0.7.4 from PyPI, in a virtual environment in the cache folder
# ${MIMAMORI_CACHE:-/var/cache/mimamori} (outside the clone). A second run reuses it;
# two runs at once share one install (tests/setup/lib.sh).
# Prints the environment's python on stdout.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
venv=$cache/treesitter-venv
python=$venv/bin/python

ready() {
  [ -x "$python" ] && "$python" - <<'PY' 2>/dev/null
from importlib.metadata import version
import tree_sitter, tree_sitter_kotlin, tree_sitter_swift
assert version("tree-sitter-kotlin") == "1.1.0" and version("tree-sitter-swift") == "0.7.4"
tree_sitter.Language(tree_sitter_kotlin.language()); tree_sitter.Language(tree_sitter_swift.language())
PY
}

if ! ready; then
  setup_lock treesitter
  if ! ready; then
    setup_venv treesitter "$venv" 'tree-sitter>=0.23,<0.27' tree-sitter-kotlin==1.1.0 tree-sitter-swift==0.7.4
    ready || { echo "tree-sitter setup: the parsers do not load after install" >&2; exit 1; }
  fi
fi
echo "$python"

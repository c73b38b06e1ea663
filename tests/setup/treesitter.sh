#!/usr/bin/env bash
# Installs the tree-sitter parsers that check the syntax of the phone shells (Compose
# and SwiftUI cannot be compiled here): tree-sitter with tree-sitter-kotlin 1.1.0 and
# tree-sitter-swift 0.7.4 from PyPI, in a virtual environment in the cache folder
# ${MIMAMORI_CACHE:-/var/cache/mimamori} (outside the clone). A second run reuses it.
# Prints the environment's python on stdout.
set -euo pipefail
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
venv=$cache/treesitter-venv
python=$venv/bin/python
wanted='tree-sitter>=0.23,<0.27 tree-sitter-kotlin==1.1.0 tree-sitter-swift==0.7.4'

ready() {
  [ -x "$python" ] && "$python" - <<'PY' 2>/dev/null
from importlib.metadata import version
import tree_sitter, tree_sitter_kotlin, tree_sitter_swift
assert version("tree-sitter-kotlin") == "1.1.0" and version("tree-sitter-swift") == "0.7.4"
tree_sitter.Language(tree_sitter_kotlin.language()); tree_sitter.Language(tree_sitter_swift.language())
PY
}

if ! ready; then
  echo "tree-sitter setup: installing $wanted into $venv" >&2
  command -v python3 >/dev/null || { echo "tree-sitter setup: python3 is missing" >&2; exit 1; }
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
  fi
  mkdir -p "$cache"
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $wanted >&2
  ready || { echo "tree-sitter setup: the parsers do not load after install" >&2; exit 1; }
fi
echo "$python"

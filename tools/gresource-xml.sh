#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Print the GResource manifest embedding the given data files (templates,
# form schema, gazetteer, map page) under /org/ssa/essaim/<path>.
# Nothing is compressed: inflating the 1.8 MB gazetteer cost every process
# that reads a form about 7 ms, and the binary is mapped, not read.
echo '<?xml version="1.0" encoding="UTF-8"?>'
echo '<gresources><gresource prefix="/org/ssa/essaim">'
for f in "$@"; do
	echo "  <file>$f</file>"
done
echo '</gresource></gresources>'

#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Print the GResource manifest embedding the given data files (templates,
# form schema, gazetteer) under /org/ssa/essaim/<path>.
echo '<?xml version="1.0" encoding="UTF-8"?>'
echo '<gresources><gresource prefix="/org/ssa/essaim">'
for f in "$@"; do
	case "$f" in
	*.tsv) echo "  <file compressed=\"true\">$f</file>" ;;
	*) echo "  <file>$f</file>" ;;
	esac
done
echo '</gresource></gresources>'

#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A representative subset of the corpus under valgrind (about 30 messages,
# under a minute on 2 cores); the whole corpus runs in
# tests/e2e/heavy/t_valgrind.sh and `make valgrind`.
exec sh "$(dirname "$0")/valgrind.sh" quick

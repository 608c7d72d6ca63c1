#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole corpus under valgrind (about 175 messages, 3 minutes on 2 cores).
exec sh "$(dirname "$0")/../valgrind.sh" all

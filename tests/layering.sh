#!/bin/bash
# tests/layering.sh - the layering check: every #include in src/ and
# include/ goes to the file's own layer or a lower one, only the terminal
# front end includes curses, only the sampler calls ptrace.
#
# Why: doc/design.md draws the layers, but nothing kept the code to the
# drawing; a wrong include compiles fine (every src folder is on the -I
# path). This check makes `make check` fail instead.
#
# Layers, by folder (rank):
#   src/model (0) < src/collect (1), src/analysis (1) < src/view (2)
#   < src/program (3)
# A file may include headers of its own layer and of lower ones; collect
# and analysis are peers and may not include each other's headers.
# A header in src/X/ belongs to X; a header in include/ belongs to the
# layer of the .c file with the same basename (include/locks.h goes with
# src/analysis/locks.c), or, if there is none, to the layer given in
# HEADER_LAYERS below. A file or header the check cannot place is itself
# a violation, so a new header cannot escape the check. Includes are
# resolved as the compiler does ("x.h": the file's own folder, then the
# -I folders of Makefile.am; <x.h>: the -I folders), so system headers
# are not checked except for the two rules below.
#   curses: only src/view/tui.c may include <curses.h>, <ncurses.h>,
#           <ncursesw/...>, <ncurses/...>, <term.h>, <panel.h>, <menu.h>,
#           <form.h>;
#   ptrace: only src/collect/sampler.c may call ptrace() (also
#           syscall(SYS_ptrace)) or include <sys/ptrace.h>/<linux/ptrace.h>.
# Comments and string literals are skipped.
#
# Usage: tests/layering.sh [ROOT]   (ROOT holds src/ and include/; default:
# the source tree this script is in). Prints one line per violation,
# "file:line: rule: what" (rules: layer, curses, ptrace, placement,
# include), then a line with the count. Exit 0 clean, 1 on any violation,
# 99 when the tree cannot be read.

set -u

# Headers in include/ with no .c of the same name, and their layer. Keep
# it short: a header that goes with one module should share its name.
HEADER_LAYERS='
cdtop.h model      exit codes and limits every layer reports with
collect.h collect  the /proc readers (proc_*.c)
'

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" 2>/dev/null && [ -d src ] && [ -d include ] || {
	echo "layering: no src/ and include/ in $root" >&2
	exit 99
}

files=$(find src include -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
[ -n "$files" ] || { echo "layering: no sources under $root" >&2; exit 99; }

# shellcheck disable=SC2086
LC_ALL=C awk -v table="$HEADER_LAYERS" -v filelist="$files" '
BEGIN {
	rank["model"] = 0; rank["collect"] = 1; rank["analysis"] = 1
	rank["view"] = 2; rank["program"] = 3
	# The -I order of Makefile.am (AM_CPPFLAGS).
	ninc = split("include src/model src/collect src/analysis src/view src/program", incdir, " ")

	nt = split(table, tlines, "\n")
	for (i = 1; i <= nt; i++) {
		if (split(tlines[i], w, " ") >= 2)
			tablelayer[w[1]] = w[2]
	}
	nf = split(filelist, fl, "\n")
	for (i = 1; i <= nf; i++) {
		f = fl[i]
		known[f] = 1
		b = base(f)
		if (f ~ /\.c$/ && f ~ /^src\/[^\/]+\/[^\/]+$/) {
			cb = substr(b, 1, length(b) - 2)
			split(f, parts, "/")
			if (cb in cfile)
				cdup[cb] = 1
			cfile[cb] = parts[2]
		}
		if (f ~ /\.h$/) {
			if (b in hpath)
				hdup[b] = hpath[b] " and " f
			hpath[b] = f
		}
	}
	nviol = 0
	# Every file is placed here, also an empty one that has no line 1.
	for (i = 1; i <= nf; i++) {
		f = fl[i]
		if (layer_of(f) == "")
			report_at(f, 1, "placement", "cannot place " f ": " placewhy)
		b = base(f)
		if ((b in hdup) && hpath[b] == f)
			report_at(f, 1, "placement", "header name " b " is used twice (" hdup[b] "): \"" b "\" is ambiguous")
	}
}

function base(p) { sub(/.*\//, "", p); return p }
function dir(p) { if (p !~ /\//) return "."; sub(/\/[^\/]*$/, "", p); return p }

# "a/./b/../c" -> "a/c"
function normpath(p,    n, seg, out, i, k, st) {
	n = split(p, seg, "/")
	k = 0
	for (i = 1; i <= n; i++) {
		if (seg[i] == "" || seg[i] == ".")
			continue
		if (seg[i] == ".." && k > 0 && st[k] != "..") { k--; continue }
		st[++k] = seg[i]
	}
	out = ""
	for (i = 1; i <= k; i++)
		out = out (i > 1 ? "/" : "") st[i]
	return out
}

# The layer of a file of the tree, or "" (and why in placewhy).
function layer_of(f,    parts, b, cb) {
	placewhy = ""
	if (f ~ /^src\/[^\/]+\/[^\/]+$/) {
		split(f, parts, "/")
		if (parts[2] in rank)
			return parts[2]
		placewhy = "src/" parts[2] "/ is not a layer folder (model, collect, analysis, view, program)"
		return ""
	}
	if (f ~ /^include\/[^\/]+\.h$/) {
		b = base(f)
		cb = substr(b, 1, length(b) - 2)
		if (cb in cdup) {
			placewhy = "more than one src/*/" cb ".c"
			return ""
		}
		if (cb in cfile)
			return cfile[cb]
		if (b in tablelayer) {
			if (tablelayer[b] in rank)
				return tablelayer[b]
			placewhy = "its layer \"" tablelayer[b] "\" in HEADER_LAYERS (tests/layering.sh) is not a layer"
			return ""
		}
		placewhy = "no src/*/" cb ".c and no entry in HEADER_LAYERS (tests/layering.sh)"
		return ""
	}
	placewhy = "not in a layer folder (src/<layer>/ or include/)"
	return ""
}

function report_at(file, line, rule, what) {
	printf "%s:%d: %s: %s\n", file, line, rule, what
	nviol++
}
function report(line, rule, what) { report_at(FILENAME, line, rule, what) }

# Resolve an include as the compiler would; "" when it is not in the tree.
function resolve(name, quoted, from,    c, i) {
	if (quoted) {
		c = normpath(dir(from) "/" name)
		if (c in known)
			return c
	}
	for (i = 1; i <= ninc; i++) {
		c = normpath(incdir[i] "/" name)
		if (c in known)
			return c
	}
	return ""
}

function may_include(from, to) {
	if (rank[to] > rank[from])
		return 0
	if (rank[to] == rank[from] && from != to)
		return 0
	return 1
}

FNR == 1 {
	incomment = 0
	mylayer = layer_of(FILENAME)
}

{
	# Strip comments (state across lines) into code; blank string and
	# character literals into bare (for the ptrace() rule).
	line = $0
	code = ""
	bare = ""
	n = length(line)
	i = 1
	while (i <= n) {
		ch = substr(line, i, 1)
		two = substr(line, i, 2)
		if (incomment) {
			if (two == "*/") { incomment = 0; i += 2; code = code " "; bare = bare " " }
			else i++
			continue
		}
		if (two == "/*") { incomment = 1; i += 2; continue }
		if (two == "//") break
		if (ch == "\"" || ch == "\047") {
			q = ch
			j = i + 1
			while (j <= n && substr(line, j, 1) != q) {
				if (substr(line, j, 1) == "\\")
					j++
				j++
			}
			code = code substr(line, i, j - i + 1)
			bare = bare q q
			i = j + 1
			continue
		}
		code = code ch
		bare = bare ch
		i++
	}

	if (code ~ /^[ \t]*#[ \t]*include[ \t]*[<"]/) {
		spec = code
		sub(/^[ \t]*#[ \t]*include[ \t]*/, "", spec)
		quoted = substr(spec, 1, 1) == "\""
		close_ch = quoted ? "\"" : ">"
		name = substr(spec, 2)
		k = index(name, close_ch)
		if (k > 0)
			name = substr(name, 1, k - 1)
		shown = quoted ? "\"" name "\"" : "<" name ">"

		if (name ~ /^(n?cursesw?\.h|term\.h|panel\.h|menu\.h|form\.h|ncursesw?\/.*|ncurses\/.*)$/) {
			if (FILENAME != "src/view/tui.c")
				report(FNR, "curses", "includes " shown ": only src/view/tui.c may include curses")
			next
		}
		if (name ~ /^(sys|linux)\/ptrace\.h$/) {
			if (FILENAME != "src/collect/sampler.c")
				report(FNR, "ptrace", "includes " shown ": only src/collect/sampler.c may use ptrace")
			next
		}
		target = resolve(name, quoted, FILENAME)
		if (target == "") {
			if (quoted && name != "config.h")   # config.h: configure writes it
				report(FNR, "include", "includes " shown ", which is not a header of src/ or include/")
			next
		}
		tl = layer_of(target)
		if (tl == "" || mylayer == "")
			next    # reported once at the header (or the file) itself
		if (!may_include(mylayer, tl))
			report(FNR, "layer", mylayer (FILENAME ~ /\.h$/ ? " header" : " file") " includes " target " (" tl \
			       (rank[tl] == rank[mylayer] ? ", a peer layer)" : ", a higher layer)"))
		next
	}

	if (FILENAME != "src/collect/sampler.c" &&
	    (bare ~ /(^|[^A-Za-z0-9_])ptrace[ \t]*\(/ || bare ~ /(SYS|__NR)_ptrace([^A-Za-z0-9_]|$)/))
		report(FNR, "ptrace", "calls ptrace: only src/collect/sampler.c may use ptrace")
}

END {
	printf "layering: %d violation%s in %d files\n", nviol, nviol == 1 ? "" : "s", nf
	exit nviol > 0 ? 1 : 0
}
' $files

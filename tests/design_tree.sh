#!/bin/bash
# tests/design_tree.sh - doc/design.md's diagram is the tree: the code
# block under "## Shape" names, under each "src/FOLDER/" line, exactly
# the .c files that `ls src/FOLDER/` shows, and no folder is missing.
#
# Why: the diagram is where a newcomer learns the layers; a file added,
# moved or removed without redrawing it makes the picture lie. This test
# fails in `make check` instead.
#
# Usage: tests/design_tree.sh [ROOT] (ROOT holds doc/ and src/; default:
# the source tree this script is in). Prints one line per difference and
# exits 1 on any, 0 when the diagram matches.

set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
doc=$root/doc/design.md
[ -r "$doc" ] && [ -d "$root/src" ] || { echo "design_tree: cannot read $doc or $root/src" >&2; exit 99; }

# Folder and file names from the first code block after "## Shape":
# a line whose first word is src/X/ starts folder X; every NAME.c after
# it, up to the next folder line, belongs to X. Output "X NAME.c".
drawn=$(awk '
	/^## Shape/ { shape = 1; next }
	shape && /^```/ { if (inblock) exit; inblock = 1; next }
	!inblock { next }
	{
		if (match($0, /^ *src\/[a-z_]+\//)) {
			folder = substr($0, RSTART, RLENGTH)
			sub(/^ *src\//, "", folder); sub(/\/$/, "", folder)
			folders[folder] = 1
			print "folder " folder
		}
		line = $0
		while (match(line, /[a-z_][a-z0-9_]*\.c([^a-z0-9_]|$)/)) {
			name = substr(line, RSTART, RLENGTH)
			sub(/[^a-z0-9_.]$/, "", name); sub(/\.c.*/, ".c", name)
			if (folder != "")
				print folder " " name
			line = substr(line, RSTART + RLENGTH - 1)
		}
	}' "$doc" | sort -u)

if [ -z "$drawn" ]; then
	echo "design_tree: no diagram found under '## Shape' in $doc"
	exit 1
fi

actual=$(cd "$root/src" && for d in */; do
		d=${d%/}
		echo "folder $d"
		for f in "$d"/*.c; do [ -e "$f" ] && echo "$d ${f#"$d"/}"; done
	done | sort -u)

bad=0
while read -r a b; do
	[ -n "$a" ] || continue
	if [ "$a" = folder ]; then
		echo "design_tree: src/$b/ is in the tree but not drawn in doc/design.md"
	else
		echo "design_tree: src/$a/$b is in the tree but not drawn under src/$a/ in doc/design.md"
	fi
	bad=$((bad + 1))
done < <(comm -13 <(echo "$drawn") <(echo "$actual"))
while read -r a b; do
	[ -n "$a" ] || continue
	if [ "$a" = folder ]; then
		echo "design_tree: doc/design.md draws src/$b/, which does not exist"
	else
		echo "design_tree: doc/design.md draws src/$a/$b, which does not exist"
	fi
	bad=$((bad + 1))
done < <(comm -23 <(echo "$drawn") <(echo "$actual"))

n=$(echo "$actual" | grep -vc '^folder ')
if [ "$bad" -gt 0 ]; then
	echo "design_tree: $bad differences between the diagram and src/ ($n files)"
	exit 1
fi
echo "design_tree: the diagram names all $n files of src/ in their folders"

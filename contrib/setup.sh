#!/bin/bash
# contrib/setup.sh - shared set-up for contrib/try.sh and contrib/test.sh:
# install the Debian packages cdtop needs (only those missing), then
# configure and build in the source tree. Debian 12, run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential autoconf automake libtool pkg-config
      libncurses-dev libproc2-dev libunwind-dev libelf-dev libdw-dev libjansson-dev
      libiberty-dev liblzma-dev g++ golang-go elfutils gdb libc6-dbg
      tmux jq iproute2 procps util-linux)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
		exit 1
	fi
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	autoreconf -fi >/dev/null
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
	./configure --enable-werror ${CDTOP_CONFIGURE_FLAGS:-} >/dev/null
fi
make -j"$(nproc)" >/dev/null

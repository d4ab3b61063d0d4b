#!/bin/sh
# require.sh COMMAND DEBIAN-PACKAGE BREW WINGET
# Make sure a system program is on the machine: install it with apt-get when we
# are root on Debian/Ubuntu, otherwise say exactly how to install it.
command="$1"; package="$2"; brew="$3"; winget="$4"
if command -v "$command" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing $package (for $command) with apt-get ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null && exit 0
fi
cat >&2 <<MSG
journeymap needs '$command', which is not installed. Install it with one of:
  Debian/Ubuntu:  sudo apt-get install $package
  macOS:          brew install $brew
  Windows:        winget install $winget
then run make again.
MSG
exit 1

#!/usr/bin/env bash
# Deploys this Sepia offline bundle on this machine. See README.txt next to this file.
# Needs Java 21 or later: the first 'java' on PATH, or else $JAVA_HOME/bin/java.
set -u

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

JAVA="$(command -v java || true)"
if [ -z "$JAVA" ] && [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
fi
if [ -z "$JAVA" ]; then
  echo "This bundle needs Java 21 or later, and no 'java' was found on PATH or in JAVA_HOME." >&2
  echo "Install a Java runtime 21+ (e.g. 'apt install openjdk-21-jre-headless'), or put one on PATH, and run deploy.sh again." >&2
  exit 2
fi

VERSION="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = *//p' | head -n 1)"
MAJOR="${VERSION%%.*}"
case "$MAJOR" in
  ''|*[!0-9]*) MAJOR=0 ;;
esac
if [ "$MAJOR" -lt 21 ]; then
  echo "This bundle needs Java 21 or later, but $JAVA is Java ${VERSION:-of an unknown version}." >&2
  echo "Install a Java runtime 21+ and put it first on PATH, then run deploy.sh again." >&2
  exit 2
fi

exec "$JAVA" -cp "$DIR/lib/*" dev.sepia.bundle.BundleRunner "$DIR" "$@"

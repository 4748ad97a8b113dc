# Sourced by ./vireo and ./run-tests: points JAVA_HOME at a JDK 25 or newer.
# Order: $JAVA_HOME if it is new enough, then JDKs under /usr/lib/jvm (Temurin 25 sits beside the
# default 17 on our machines), then `java` on the PATH.
vireo_java_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
vireo_find_jdk() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/* \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(vireo_java_version "$candidate")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "vireo: needs a JDK 25 or newer; none found in JAVA_HOME or /usr/lib/jvm." >&2
  echo "       Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
vireo_find_jdk

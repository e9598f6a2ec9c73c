#!/usr/bin/env bash
# A private ClickHouse 18.16 server for benchmarks and the differential test: its own
# directory, 127.0.0.1 only, the given TCP and HTTP ports, no other ports, UTC.
#
# Sourced (bench/ingest/run.sh, bench/analytics/run.sh):
#   ch_start DIR TCP_PORT HTTP_PORT   writes the config, starts the server (pid in CH_PID),
#                                     waits until it answers
#   ch_client ARGS...                 clickhouse-client on that server
#   ch_stop                           stops it
# Run as a command (tests/differential, which starts and owns the server process itself):
#   clickhouse.sh config DIR TCP_PORT HTTP_PORT   writes DIR/config.xml + users.xml and
#                                                 prints the config file's path
#
# The server logs queries to system.query_log (flushed every second), so benchmarks can
# read each query's peak memory (memory_usage).

ch_write_config() {
  local dir=$1 tcp=$2 http=$3
  mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files" "$dir/format_schemas"
  cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$dir/log/clickhouse-server.log</log>
    <errorlog>$dir/log/clickhouse-server.err.log</errorlog>
    <size>100M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>$tcp</tcp_port>
  <http_port>$http</http_port>
  <max_connections>64</max_connections>
  <!-- Longer than the idle timeout of HTTP clients (node fetch: 4 s), so that a client never
       reuses a connection the server has just closed. -->
  <keep_alive_timeout>60</keep_alive_timeout>
  <max_concurrent_queries>16</max_concurrent_queries>
  <uncompressed_cache_size>1073741824</uncompressed_cache_size>
  <mark_cache_size>1073741824</mark_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <query_log>
    <database>system</database>
    <table>query_log</table>
    <flush_interval_milliseconds>1000</flush_interval_milliseconds>
  </query_log>
</yandex>
XML
  cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>8000000000</max_memory_usage><log_queries>1</log_queries></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
XML
}

ch_start() {
  local dir=$1 tcp=$2 http=$3
  ch_write_config "$dir" "$tcp" "$http"
  CH_PORT=$tcp
  local server
  # Debian installs the server in /usr/sbin, which is not on a normal user's PATH.
  server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
  "$server" --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
  CH_PID=$!
  for _ in $(seq 1 120); do
    if clickhouse-client --host 127.0.0.1 --port "$tcp" --query "SELECT 1" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$CH_PID" 2>/dev/null; then
      echo "clickhouse-server exited; log:" >&2
      tail -20 "$dir/log/stdout.log" "$dir/log/clickhouse-server.err.log" >&2 2>/dev/null
      return 1
    fi
    sleep 0.5
  done
  echo "clickhouse-server did not answer on 127.0.0.1:$tcp within 60 s" >&2
  return 1
}

ch_client() {
  clickhouse-client --host 127.0.0.1 --port "$CH_PORT" "$@"
}

ch_stop() {
  if [ -n "${CH_PID:-}" ] && kill -0 "$CH_PID" 2>/dev/null; then
    kill "$CH_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$CH_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$CH_PID" 2>/dev/null || true
  fi
  CH_PID=
}

# Executed rather than sourced: the command form.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    config)
      [ $# -eq 4 ] || { echo "usage: $0 config DIR TCP_PORT HTTP_PORT" >&2; exit 2; }
      ch_write_config "$2" "$3" "$4"
      echo "$2/config.xml"
      ;;
    *)
      echo "usage: $0 config DIR TCP_PORT HTTP_PORT   (or source it for ch_start/ch_client/ch_stop)" >&2
      exit 2
      ;;
  esac
fi

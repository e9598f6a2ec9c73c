#!/usr/bin/env bash
# Minimal private ClickHouse 18.16 server for the benchmark (sourced by run.sh).
# ch_start DIR TCP_PORT HTTP_PORT: writes DIR/config.xml + users.xml, starts the server
# (pid in CH_PID), waits until it answers. ch_stop: stops it. ch_client ARGS...: client.

ch_start() {
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
  <keep_alive_timeout>3</keep_alive_timeout>
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
</yandex>
XML
  cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>8000000000</max_memory_usage></default></profiles>
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
  CH_PORT=$tcp
  clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
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

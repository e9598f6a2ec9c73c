// jemalloc's options for the tobops executable, read by jemalloc at its start (only
// compiled when jemalloc is linked, see CMakeLists.txt). Freed memory goes back to the
// system within about a second, by a background thread, so an idle server shrinks
// without waiting for the next allocation; the default is ten seconds and only on
// allocator activity.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}

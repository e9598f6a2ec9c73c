// File: common/free_memory.h
// ReleaseFreeMemory: hands memory the allocator holds but no one uses back to the
// system, whichever allocator the process runs on — jemalloc (linked into the tobops
// executable, see src/app/CMakeLists.txt) or glibc's malloc (tests, other binaries).
// Callers: the server after opening a project and when queries go idle.
// Thread-safety: may be called from any thread.
#pragma once

namespace tobops {

void ReleaseFreeMemory();

}  // namespace tobops

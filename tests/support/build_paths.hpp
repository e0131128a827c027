#pragma once

// The checkout and the built windowguard binary, as CMake configured them.
// Defined in a unit CMake generates (the top CMakeLists.txt): only that unit's
// compile command names this checkout's absolute path, so every other unit of
// the tests hits the compiler cache from any clone of the same tree.
namespace windowguard::build_paths {
extern const char* const source_dir;
extern const char* const windowguard_binary;
}  // namespace windowguard::build_paths

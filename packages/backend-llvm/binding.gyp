{
  "targets": [
    {
      "target_name": "rvsdg_llvm_engine",
      "sources": ["native/engine.c", "native/stack_limit.c", "native/opaque_pointers.cpp"],
      "include_dirs": ["<!(llvm-config-14 --includedir)"],
      "cflags_c": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc": ["-std=c++17", "-O2"],
      "libraries": [
        "-L<!(llvm-config-14 --libdir)",
        "-lLLVM-14",
        "-Wl,-rpath,<!(llvm-config-14 --libdir)",
        "-Wl,-z,nodelete"
      ]
    }
  ]
}

{
  "targets": [
    {
      "target_name": "rvsdg_llvm_engine",
      "sources": [
        "native/engine.c",
        "native/stack_limit.c",
        "native/opaque_pointers.cpp",
        "native/math-symbols.c",
        "native/math/exp_log.c",
        "native/math/trig.c",
        "native/math/inverse_trig.c",
        "native/math/hyperbolic.c",
        "native/math/pow.c"
      ],
      "include_dirs": ["<!(llvm-config-14 --includedir)"],
      "cflags_c": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-ffp-contract=off", "-fno-math-errno"],
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

// In-process LLVM engine for Node: parses LLVM IR text, optimizes it with the
// new pass manager for the host CPU, adds it to an ORC LLJIT and hands the
// N-API wrapper functions it defines to JS through napi_create_function.
// It also emits assembly and object files for the same pipeline.
//
// Every LLVM failure becomes a JS exception carrying LLVM's message; nothing
// here aborts on bad input except LLVM's own fatal errors, which the C API
// cannot turn into recoverable errors.
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <pthread.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/IRReader.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void rvsdg_enable_opaque_pointers(LLVMContextRef context);
// ---- exact math (native/math-symbols.c) ----
LLVMErrorRef rvsdg_define_math_symbols(LLVMOrcLLJITRef jit);
void rvsdg_mark_math_functions(LLVMModuleRef module);
// ---- end exact math ----

// Worker threads load the addon into the same process and share the JIT and
// the state below; every entry point holds this lock. Recursive, because a
// finalizer may run while an entry point allocates.
static pthread_mutex_t g_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

// The JIT lives as long as the process: code handed out as JS functions may
// be reachable until the very end, so it is never disposed.
static LLVMOrcLLJITRef g_jit = NULL;
static char *g_init_error = NULL;
static int g_targets_ready = 0;
static char *g_cpu = NULL;
static char *g_features = NULL;
static char *g_triple = NULL;
// One target machine per codegen level, created on first use and reused:
// creating one costs about as much as optimizing a small module.
static LLVMTargetMachineRef g_tm[4] = {NULL, NULL, NULL, NULL};
static uint64_t g_module_counter = 0;
// Modules whose code is still mapped, for leak checks.
static int64_t g_live_modules = 0;
// Materialization failures (such as unresolved symbols) go to the execution
// session's error reporter, not to the failing lookup, which only says that
// materialization failed; the reporter keeps them for the lookup's exception.
static __thread char *g_session_errors = NULL; // per thread: tiered compilation optimizes off the lock

// A compiled module's code stays mapped while its handle or any function
// made from it is alive, or until release() is called explicitly.
typedef struct jit_module {
  LLVMOrcResourceTrackerRef tracker;
  int refs;
  int released;
  // ---- tiered compilation: redirection ----
  // A module compiled `tiered` has, per wrapper, a slot its wrapper reads
  // (acquire) before each call: when it holds an address, the call goes
  // there (see add_redirect_slots). The background compile of the optimized
  // tier stores its wrappers there (release) once their code is linked, so
  // calls switch to it without the event loop.
  uint32_t slot_count;
  LLVMOrcExecutorAddress *slots;
  // The module this one's slots point into; holds a reference to it.
  struct jit_module *successor;
  // The module whose slots point into this one (no reference: that module
  // clears this pointer when it is freed).
  struct jit_module *redirected_from;
  // ---- end tiered compilation ----
} jit_module;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

// ---- tiered compilation: errors on the background thread ----
// A compile on a libuv worker thread has no env to throw into; throw_llvm
// called with a NULL env keeps the message here for the complete callback.
static __thread char *t_background_error = NULL;
// ---- end tiered compilation ----

static void throw_llvm(napi_env env, const char *code, const char *prefix, const char *message) {
  const char *msg = message != NULL ? message : "(no message)";
  if (env == NULL) {
    size_t n = strlen(prefix) + strlen(msg) + 3;
    free(t_background_error);
    t_background_error = malloc(n);
    if (t_background_error != NULL) snprintf(t_background_error, n, "%s: %s", prefix, msg);
    return;
  }
  size_t len = strlen(prefix) + strlen(msg) + 3;
  char *text = malloc(len);
  if (text == NULL) {
    napi_throw_error(env, code, prefix);
    return;
  }
  snprintf(text, len, "%s: %s", prefix, msg);
  // LLVM messages often end with a newline; a JS message should not.
  size_t n = strlen(text);
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ')) text[--n] = '\0';
  napi_throw_error(env, code, text);
  free(text);
}

static void strip_unique_suffixes(char *text);

// Bounded: only the errors of one failing operation are wanted.
static void append_message(char **buffer, const char *message) {
  size_t old = *buffer != NULL ? strlen(*buffer) : 0;
  size_t add = strlen(message);
  if (old >= 8192) return;
  char *grown = realloc(*buffer, old + add + 3);
  if (grown == NULL) return;
  if (old > 0) {
    memcpy(grown + old, "; ", 2);
    old += 2;
  }
  memcpy(grown + old, message, add + 1);
  *buffer = grown;
}

static void report_session_error(void *ctx, LLVMErrorRef err) {
  (void)ctx;
  char *message = LLVMGetErrorMessage(err);
  append_message(&g_session_errors, message);
  LLVMDisposeErrorMessage(message);
}

static void clear_session_errors(void) {
  free(g_session_errors);
  g_session_errors = NULL;
}

// Errors LLVM reports through a context's diagnostic handler (inline
// assembly that does not assemble, for one). Without a handler LLVM prints
// them and exits the process.
static __thread char *g_diagnostics = NULL; // per thread: tiered compilation optimizes off the lock

static void record_diagnostic(LLVMDiagnosticInfoRef info, void *ctx) {
  (void)ctx;
  if (LLVMGetDiagInfoSeverity(info) != LLVMDSError) return;
  char *description = LLVMGetDiagInfoDescription(info);
  append_message(&g_diagnostics, description);
  LLVMDisposeMessage(description);
}

static void watch_diagnostics(LLVMContextRef ctx) {
  free(g_diagnostics);
  g_diagnostics = NULL;
  LLVMContextSetDiagnosticHandler(ctx, record_diagnostic, NULL);
}

// Throws the recorded diagnostics, if any; returns 1 when there were none.
static int no_diagnostics(napi_env env, const char *code, const char *prefix) {
  if (g_diagnostics == NULL) return 1;
  strip_unique_suffixes(g_diagnostics);
  throw_llvm(env, code, prefix, g_diagnostics);
  free(g_diagnostics);
  g_diagnostics = NULL;
  return 0;
}

// Removes the `.rvsdg<N>` suffixes make_names_unique adds, so that messages
// name symbols as the IR text does.
static void strip_unique_suffixes(char *text) {
  char *out = text;
  for (char *in = text; *in != '\0';) {
    if (strncmp(in, ".rvsdg", 6) == 0 && in[6] >= '0' && in[6] <= '9') {
      in += 6;
      while (*in >= '0' && *in <= '9') in++;
    } else {
      *out++ = *in++;
    }
  }
  *out = '\0';
}

// Consumes err.
static void throw_llvm_error(napi_env env, const char *code, const char *prefix, LLVMErrorRef err) {
  char *message = LLVMGetErrorMessage(err);
  size_t len = strlen(message) + (g_session_errors != NULL ? strlen(g_session_errors) + 2 : 0) + 1;
  char *full = malloc(len);
  if (full != NULL) {
    snprintf(full, len, "%s%s%s", g_session_errors != NULL ? g_session_errors : "", g_session_errors != NULL ? "; " : "",
             message);
    strip_unique_suffixes(full);
  }
  throw_llvm(env, code, prefix, full != NULL ? full : message);
  free(full);
  clear_session_errors();
  LLVMDisposeErrorMessage(message);
}

#define NAPI_CALL(env, call)                                                  \
  do {                                                                        \
    if ((call) != napi_ok) {                                                  \
      const napi_extended_error_info *info = NULL;                           \
      napi_get_last_error_info((env), &info);                                 \
      bool pending = false;                                                   \
      napi_is_exception_pending((env), &pending);                             \
      if (!pending)                                                           \
        napi_throw_error((env), "ERR_NAPI",                                   \
                         info && info->error_message ? info->error_message    \
                                                     : "N-API call failed");  \
      goto fail;                                                              \
    }                                                                         \
  } while (0)

static int ensure_targets(void) {
  if (g_targets_ready) return 1;
  if (LLVMInitializeNativeTarget() != 0 || LLVMInitializeNativeAsmPrinter() != 0 ||
      LLVMInitializeNativeAsmParser() != 0) {
    return 0;
  }
  // Vectorize loops that sum doubles (softmax's `sum += Math.exp(...)`, dot)
  // with in-order reductions: the lanes are added one after another, in the
  // loop's order, so the sum rounds exactly as the scalar loop does. LLVM
  // enables this only for targets that ask for it, and x86 does not.
  const char *llvm_args[] = {"rvsdg", "-force-ordered-reductions"};
  LLVMParseCommandLineOptions(2, llvm_args, NULL);
  g_cpu = LLVMGetHostCPUName();
  g_features = LLVMGetHostCPUFeatures();
  g_triple = LLVMGetDefaultTargetTriple();
  g_targets_ready = 1;
  return 1;
}

// Creates the target machine for one opt level on first use, into `cache[opt_level]`.
static LLVMTargetMachineRef cached_target_machine(napi_env env, LLVMTargetMachineRef *cache, int opt_level,
                                                  LLVMCodeGenOptLevel level, LLVMRelocMode reloc,
                                                  LLVMCodeModel model) {
  if (!ensure_targets()) {
    napi_throw_error(env, "ERR_LLVM_TARGET", "LLVM: the native target could not be initialized");
    return NULL;
  }
  if (cache[opt_level] != NULL) return cache[opt_level];
  LLVMTargetRef target = NULL;
  char *message = NULL;
  if (LLVMGetTargetFromTriple(g_triple, &target, &message) != 0) {
    throw_llvm(env, "ERR_LLVM_TARGET", "LLVM target lookup failed", message);
    LLVMDisposeMessage(message);
    return NULL;
  }
  cache[opt_level] = LLVMCreateTargetMachine(target, g_triple, g_cpu, g_features, level, reloc, model);
  if (cache[opt_level] == NULL) napi_throw_error(env, "ERR_LLVM_TARGET", "LLVM: could not create a target machine");
  return cache[opt_level];
}

static LLVMTargetMachineRef target_machine(napi_env env, int opt_level) {
  static const LLVMCodeGenOptLevel levels[4] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault,
                                                LLVMCodeGenLevelAggressive};
  // PIC so that emitted objects can be linked into a shared `.node` library.
  return cached_target_machine(env, g_tm, opt_level, levels[opt_level], LLVMRelocPIC, LLVMCodeModelDefault);
}

// ---- Runtime symbols for jitted code -----------------------------------------
// Helpers generated code calls that live in this engine rather than in the
// node process (whose symbols the process generator finds): defined in the
// main JITDylib at their addresses. Ahead-of-time addons compile the same C
// files (see aot.ts).

uintptr_t rvsdg_stack_limit(void);  // native/stack_limit.c

static LLVMErrorRef define_runtime_symbols(LLVMOrcLLJITRef j) {
  LLVMJITCSymbolMapPair symbols[] = {
      {LLVMOrcLLJITMangleAndIntern(j, "rvsdg_stack_limit"),
       {(LLVMOrcExecutorAddress)(uintptr_t)&rvsdg_stack_limit,
        {LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable, 0}}},
  };
  LLVMOrcMaterializationUnitRef unit = LLVMOrcAbsoluteSymbols(symbols, sizeof symbols / sizeof symbols[0]);
  LLVMErrorRef err = LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(j), unit);
  if (err != NULL) {
    LLVMOrcDisposeMaterializationUnit(unit);
    return err;
  }
  // ---- exact math: rvsdg_exp and the like, V8's Math in C (native/math/) ----
  err = rvsdg_define_math_symbols(j);
  // ---- end exact math ----
  return err;
}

static LLVMOrcLLJITRef jit(napi_env env) {
  if (g_jit != NULL) return g_jit;
  if (g_init_error != NULL) {
    throw_llvm(env, "ERR_LLVM_JIT", "LLVM JIT start-up failed", g_init_error);
    return NULL;
  }
  if (!ensure_targets()) {
    napi_throw_error(env, "ERR_LLVM_TARGET", "LLVM: the native target could not be initialized");
    return NULL;
  }
  LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
  LLVMOrcLLJITRef j = NULL;
  LLVMErrorRef err = LLVMOrcCreateLLJIT(&j, builder);
  if (err != NULL) {
    char *message = LLVMGetErrorMessage(err);
    g_init_error = strdup(message);
    LLVMDisposeErrorMessage(message);
    return jit(env);
  }
  // The N-API functions (and libc, libm) that wrappers call are resolved
  // from the node process itself.
  LLVMOrcDefinitionGeneratorRef generator = NULL;
  err = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&generator, LLVMOrcLLJITGetGlobalPrefix(j), NULL, NULL);
  if (err != NULL) {
    char *message = LLVMGetErrorMessage(err);
    g_init_error = strdup(message);
    LLVMDisposeErrorMessage(message);
    LLVMConsumeError(LLVMOrcDisposeLLJIT(j));
    return jit(env);
  }
  LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(j), generator);
  err = define_runtime_symbols(j);
  if (err != NULL) {
    char *message = LLVMGetErrorMessage(err);
    g_init_error = strdup(message);
    LLVMDisposeErrorMessage(message);
    LLVMConsumeError(LLVMOrcDisposeLLJIT(j));
    return jit(env);
  }
  LLVMOrcExecutionSessionSetErrorReporter(LLVMOrcLLJITGetExecutionSession(j), report_session_error, NULL);
  g_jit = j;
  return g_jit;
}

// True when the text uses the `ptr` type keyword (outside comments, strings
// and names), i.e. when it needs an opaque-pointer context in LLVM 14.
static int uses_opaque_pointers(const char *text, size_t len) {
  size_t i = 0;
  while (i < len) {
    char c = text[i];
    if (c == ';') {
      while (i < len && text[i] != '\n') i++;
    } else if (c == '"') {
      i++;
      while (i < len && text[i] != '"') i++;
      i++;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
               c == '$' || c == '%' || c == '@' || c == '!' || c == '#' || c == '-') {
      size_t start = i;
      while (i < len) {
        char d = text[i];
        if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || d == '_' || d == '.' ||
            d == '$' || d == '%' || d == '@' || d == '!' || d == '#' || d == '-')
          i++;
        else
          break;
      }
      if (i - start == 3 && memcmp(text + start, "ptr", 3) == 0) return 1;
      // `%"quoted name"` and `@"quoted name"` continue with a string.
    } else {
      i++;
    }
  }
  return 0;
}

static char *get_string(napi_env env, napi_value value, size_t *out_len, const char *what) {
  size_t len = 0;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_string) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a string", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
    return NULL;
  }
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char *buf = malloc(len + 1);
  if (buf == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, value, buf, len + 1, &len);
  if (out_len != NULL) *out_len = len;
  return buf;
}

static int get_opt_level(napi_env env, napi_value value, int *out) {
  int32_t level = -1;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number ||
      napi_get_value_int32(env, value, &level) != napi_ok || level < 0 || level > 3) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "optLevel must be 0, 1, 2 or 3");
    return 0;
  }
  *out = level;
  return 1;
}

typedef struct {
  double parse_ms;
  double optimize_ms;
} prepare_timings;

// Parses, verifies, retargets to the host and optimizes. On failure a JS
// exception is pending and NULL is returned; the context stays the caller's.
// Parses and verifies. On failure a JS exception is pending (ERR_LLVM_PARSE
// or ERR_LLVM_VERIFY) and NULL is returned.
static LLVMModuleRef parse_verified(napi_env env, LLVMContextRef ctx, const char *text, size_t len, const char *name) {
  LLVMMemoryBufferRef buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(text, len, name);
  LLVMModuleRef module = NULL;
  char *message = NULL;
  // Takes ownership of the buffer, also on failure.
  if (LLVMParseIRInContext(ctx, buffer, &module, &message) != 0) {
    throw_llvm(env, "ERR_LLVM_PARSE", "LLVM IR parse error", message);
    LLVMDisposeMessage(message);
    return NULL;
  }
  if (LLVMVerifyModule(module, LLVMReturnStatusAction, &message) != 0) {
    throw_llvm(env, "ERR_LLVM_VERIFY", "LLVM IR verification failed", message);
    LLVMDisposeMessage(message);
    LLVMDisposeModule(module);
    return NULL;
  }
  LLVMDisposeMessage(message);
  return module;
}

static LLVMModuleRef prepare_module(napi_env env, LLVMContextRef ctx, const char *text, size_t len, const char *name,
                                    int opt_level, LLVMTargetMachineRef tm, prepare_timings *timings) {
  double t0 = now_ms();
  watch_diagnostics(ctx);
  LLVMModuleRef module = parse_verified(env, ctx, text, len, name);
  if (module == NULL) return NULL;
  rvsdg_mark_math_functions(module); // exact math (native/math-symbols.c)
  double t1 = now_ms();

  char *triple = LLVMGetTargetMachineTriple(tm);
  LLVMSetTarget(module, triple);
  LLVMDisposeMessage(triple);
  LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
  LLVMSetModuleDataLayout(module, layout);
  LLVMDisposeTargetData(layout);

  static const char *pipelines[4] = {"default<O0>", "default<O1>", "default<O2>", "default<O3>"};
  // NULL options crash LLVMRunPasses in LLVM 14. The C API's defaults leave
  // the vectorizers off, unlike clang and opt at -O2/-O3.
  LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
  LLVMPassBuilderOptionsSetLoopVectorization(options, opt_level >= 2);
  LLVMPassBuilderOptionsSetSLPVectorization(options, opt_level >= 2);
  LLVMPassBuilderOptionsSetLoopInterleaving(options, opt_level >= 2);
  LLVMPassBuilderOptionsSetLoopUnrolling(options, opt_level >= 2);
  LLVMErrorRef err = LLVMRunPasses(module, pipelines[opt_level], tm, options);
  LLVMDisposePassBuilderOptions(options);
  if (err != NULL) {
    throw_llvm_error(env, "ERR_LLVM_PASSES", "LLVM optimization failed", err);
    LLVMDisposeModule(module);
    return NULL;
  }
  if (!no_diagnostics(env, "ERR_LLVM_PASSES", "LLVM optimization failed")) {
    LLVMDisposeModule(module);
    return NULL;
  }
  double t2 = now_ms();
  if (timings != NULL) {
    timings->parse_ms = t1 - t0;
    timings->optimize_ms = t2 - t1;
  }
  return module;
}

// Wrappers must survive optimization and be visible to the linker.
static int check_wrapper(napi_env env, LLVMModuleRef module, const char *symbol, const char *module_name) {
  LLVMValueRef fn = LLVMGetNamedFunction(module, symbol);
  LLVMLinkage linkage = fn != NULL ? LLVMGetLinkage(fn) : LLVMExternalLinkage;
  if (fn != NULL && !LLVMIsDeclaration(fn) && linkage != LLVMInternalLinkage && linkage != LLVMPrivateLinkage) {
    // napi_value (*)(napi_env, napi_callback_info): anything else would be
    // called with the wrong arguments.
    LLVMTypeRef type = LLVMGlobalGetValueType(fn);
    LLVMTypeRef params[2];
    int ok = LLVMGetTypeKind(LLVMGetReturnType(type)) == LLVMPointerTypeKind && LLVMCountParamTypes(type) == 2 &&
             !LLVMIsFunctionVarArg(type);
    if (ok) {
      LLVMGetParamTypes(type, params);
      ok = LLVMGetTypeKind(params[0]) == LLVMPointerTypeKind && LLVMGetTypeKind(params[1]) == LLVMPointerTypeKind;
    }
    if (ok) return 1;
    const char *format = "wrapper symbol '%s' in module '%s' is not an N-API callback: it must have the type "
                         "ptr (ptr, ptr), i.e. napi_value (napi_env, napi_callback_info)";
    size_t len = strlen(format) + strlen(symbol) + strlen(module_name);
    char *message = malloc(len);
    if (message != NULL) snprintf(message, len, format, symbol, module_name);
    napi_throw_error(env, "ERR_LLVM_SYMBOL", message != NULL ? message : "wrapper has the wrong type");
    free(message);
    return 0;
  }
  const char *format = "wrapper symbol '%s' is not defined in module '%s' (after optimization; give it external linkage)";
  size_t len = strlen(format) + strlen(symbol) + strlen(module_name);
  char *message = malloc(len);
  if (message == NULL) {
    napi_throw_error(env, "ERR_LLVM_SYMBOL", "wrapper symbol not defined");
    return 0;
  }
  snprintf(message, len, format, symbol, module_name);
  napi_throw_error(env, "ERR_LLVM_SYMBOL", message);
  free(message);
  return 0;
}

// ---- tiered compilation: redirection ----
// Modules redirected to a recompiled one so far (stats()).
static uint64_t g_redirects = 0;

static void store_slots(jit_module *from, const LLVMOrcExecutorAddress *targets) {
  for (uint32_t i = 0; i < from->slot_count; i++)
    __atomic_store_n((uintptr_t *)(uintptr_t)from->slots[i], targets != NULL ? (uintptr_t)targets[i] : 0,
                     __ATOMIC_RELEASE);
}

// Points `from`'s wrappers at `to`'s (`addresses`, in the same order), whose
// code must be linked and finalized. Under g_lock. Returns 1 when done.
static int redirect_module(jit_module *from, jit_module *to, const LLVMOrcExecutorAddress *addresses,
                           uint32_t count) {
  if (from == NULL || to == NULL || from->released || to->released || from->successor != NULL ||
      from->slot_count != count || count == 0)
    return 0;
  from->successor = to;
  to->refs++;
  to->redirected_from = from;
  store_slots(from, addresses);
  g_redirects++;
  return 1;
}

// redirected(handle) -> whether the module's wrappers now run another's code.
static napi_value redirected(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result = NULL;
  jit_module *jm = NULL;
  napi_valuetype type;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "redirected(handle) needs a handle returned by compile()");
    return NULL;
  }
  NAPI_CALL(env, napi_get_value_external(env, argv[0], (void **)&jm));
  int on = !jm->released && jm->slot_count > 0 &&
           __atomic_load_n((uintptr_t *)(uintptr_t)jm->slots[0], __ATOMIC_ACQUIRE) != 0;
  NAPI_CALL(env, napi_get_boolean(env, on, &result));
fail:
  return result;
}

// Before `m`'s code goes: whoever calls into it runs its own code again.
static void unlink_redirect(jit_module *m) {
  jit_module *from = m->redirected_from;
  if (from == NULL) return;
  if (!from->released) store_slots(from, NULL);
  m->redirected_from = NULL;
}
// ---- end tiered compilation ----

// Unmaps a module's code now, once; where nobody can be told, a failure to remove it is dropped.
static void drop_code(jit_module *m) {
  if (m->released) return;
  unlink_redirect(m);
  LLVMErrorRef err = LLVMOrcResourceTrackerRemove(m->tracker);
  if (err != NULL) LLVMConsumeError(err);
  LLVMOrcReleaseResourceTracker(m->tracker);
  m->released = 1;
  g_live_modules--;
}

static void module_unref(jit_module *m) {
  if (--m->refs > 0) return;
  drop_code(m);
  jit_module *successor = m->successor;
  free(m->slots);
  free(m);
  if (successor != NULL) {
    successor->redirected_from = NULL;
    module_unref(successor);
  }
}

static void finalize_module_ref(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  pthread_mutex_lock(&g_lock);
  module_unref((jit_module *)data);
  pthread_mutex_unlock(&g_lock);
}

static int set_number(napi_env env, napi_value object, const char *key, double value) {
  napi_value v;
  if (napi_create_double(env, value, &v) != napi_ok) return 0;
  return napi_set_named_property(env, object, key, v) == napi_ok;
}

// ---- tiered compilation: redirection ----
#define RVSDG_SLOT_SUFFIX ".tier"

// Makes each wrapper `W` of an optimized module (run after optimization, so
// nothing inlines or folds it) read a slot `W.tier` first:
//
//   W(env, info):  t = load atomic acquire @W.tier
//                  if t != null: return tail call t(env, info)
//                  return tail call W.own(env, info)     ; the wrapper as compiled
//
// Both calls are sibling calls (jumps): one load and one branch per call.
static void add_redirect_slots(LLVMModuleRef module, char **symbols, uint32_t count) {
  LLVMContextRef ctx = LLVMGetModuleContext(module);
  LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
  for (uint32_t i = 0; i < count; i++) {
    LLVMValueRef own = LLVMGetNamedFunction(module, symbols[i]);
    if (own == NULL) continue; // check_wrapper has refused it
    LLVMTypeRef type = LLVMGlobalGetValueType(own);
    size_t len = strlen(symbols[i]);
    char *name = malloc(len + 8);
    if (name == NULL) continue;
    snprintf(name, len + 8, "%s.own", symbols[i]);
    LLVMSetValueName2(own, name, strlen(name));
    LLVMSetLinkage(own, LLVMInternalLinkage);
    LLVMSetVisibility(own, LLVMDefaultVisibility);
    snprintf(name, len + 8, "%s" RVSDG_SLOT_SUFFIX, symbols[i]);
    LLVMTypeRef slot_type = LLVMPointerType(type, 0);
    LLVMValueRef slot = LLVMAddGlobal(module, slot_type, name);
    free(name);
    LLVMSetInitializer(slot, LLVMConstNull(slot_type));
    LLVMSetAlignment(slot, 8);
    LLVMValueRef wrapper = LLVMAddFunction(module, symbols[i], type);
    unsigned n = LLVMCountParams(own);
    LLVMValueRef args[8];
    if (n > 8) n = 8; // N-API callbacks take two
    for (unsigned k = 0; k < n; k++) args[k] = LLVMGetParam(wrapper, k);
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(ctx, wrapper, "entry");
    LLVMBasicBlockRef redirect = LLVMAppendBasicBlockInContext(ctx, wrapper, "redirect");
    LLVMBasicBlockRef self = LLVMAppendBasicBlockInContext(ctx, wrapper, "own");
    LLVMPositionBuilderAtEnd(b, entry);
    LLVMValueRef target = LLVMBuildLoad2(b, slot_type, slot, "target");
    LLVMSetOrdering(target, LLVMAtomicOrderingAcquire);
    LLVMSetAlignment(target, 8);
    LLVMBuildCondBr(b, LLVMBuildIsNotNull(b, target, "redirected"), redirect, self);
    LLVMPositionBuilderAtEnd(b, redirect);
    LLVMValueRef call = LLVMBuildCall2(b, type, target, args, n, "");
    LLVMSetTailCall(call, 1);
    LLVMBuildRet(b, call);
    LLVMPositionBuilderAtEnd(b, self);
    call = LLVMBuildCall2(b, type, own, args, n, "");
    LLVMSetTailCall(call, 1);
    LLVMBuildRet(b, call);
  }
  LLVMDisposeBuilder(b);
}

// After linking: the addresses of a tiered module's slots. `suffix` is the
// one its names got. Returns 0 (nothing kept) when a slot is missing.
static int find_redirect_slots(LLVMOrcLLJITRef j, jit_module *jm, char **symbols, uint32_t count, const char *suffix) {
  LLVMOrcExecutorAddress *slots = calloc(count + 1, sizeof(LLVMOrcExecutorAddress));
  if (slots == NULL) return 0;
  for (uint32_t i = 0; i < count; i++) {
    size_t len = strlen(symbols[i]) + strlen(RVSDG_SLOT_SUFFIX) + strlen(suffix) + 1;
    char *name = malloc(len);
    if (name == NULL) {
      free(slots);
      return 0;
    }
    snprintf(name, len, "%s" RVSDG_SLOT_SUFFIX "%s", symbols[i], suffix);
    LLVMErrorRef err = LLVMOrcLLJITLookup(j, &slots[i], name);
    free(name);
    if (err != NULL) {
      LLVMConsumeError(err);
      free(slots);
      return 0;
    }
  }
  jm->slots = slots;
  jm->slot_count = count;
  return 1;
}
// ---- end tiered compilation ----

// Gives every externally visible definition a name unique to this module so
// that two live modules may define the same symbols in the one JITDylib.
static void suffix_definitions(LLVMModuleRef module, const char *suffix);

static void make_names_unique(LLVMModuleRef module, uint64_t id) {
  char suffix[32];
  snprintf(suffix, sizeof suffix, ".rvsdg%llu", (unsigned long long)id);
  suffix_definitions(module, suffix);
}

static void suffix_definitions(LLVMModuleRef module, const char *suffix) {
  LLVMValueRef values[2] = {LLVMGetFirstFunction(module), LLVMGetFirstGlobal(module)};
  for (int kind = 0; kind < 2; kind++) {
    for (LLVMValueRef v = values[kind]; v != NULL; v = kind == 0 ? LLVMGetNextFunction(v) : LLVMGetNextGlobal(v)) {
      if (LLVMIsDeclaration(v)) continue;
      LLVMLinkage linkage = LLVMGetLinkage(v);
      // Appending globals (llvm.global_ctors, llvm.used) are known by name.
      if (linkage == LLVMPrivateLinkage || linkage == LLVMInternalLinkage ||
          linkage == LLVMAvailableExternallyLinkage || linkage == LLVMAppendingLinkage)
        continue;
      size_t len = 0;
      const char *name = LLVMGetValueName2(v, &len);
      if (len == 0 || strncmp(name, "llvm.", 5) == 0) continue;
      char *renamed = malloc(len + strlen(suffix) + 1);
      if (renamed == NULL) continue;
      memcpy(renamed, name, len);
      memcpy(renamed + len, suffix, strlen(suffix) + 1);
      LLVMSetValueName2(v, renamed, strlen(renamed));
      free(renamed);
    }
  }
}

// argv[index] when it is a boolean, else false.
static int optional_flag(napi_env env, napi_value *argv, size_t argc, size_t index) {
  bool flag = false;
  napi_valuetype type;
  if (index < argc && napi_typeof(env, argv[index], &type) == napi_ok && type == napi_boolean)
    napi_get_value_bool(env, argv[index], &flag);
  return flag;
}

// compile(irText, optLevel, moduleName, symbols[], names[], tiered?)
//   -> { handle, functions: { [symbol]: Function }, optimizedIR, timings }
// With `tiered`, each wrapper can later be redirected to a recompiled
// module's (compileAsync's `replaces`).
static napi_value module_functions(napi_env env, jit_module *jm, const LLVMOrcExecutorAddress *addresses,
                                   char **symbols, char **names, uint32_t count);

static napi_value compile(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  char *text = NULL, *name = NULL;
  char **symbols = NULL, **names = NULL;
  uint32_t count = 0;
  LLVMOrcThreadSafeContextRef tsc = NULL;
  LLVMModuleRef module = NULL;
  jit_module *jm = NULL;
  char *optimized = NULL;
  LLVMOrcExecutorAddress *addresses = NULL;
  napi_value result = NULL;
  int handle_created = 0;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "compile(irText, optLevel, moduleName, symbols, names)");
    return NULL;
  }
  size_t text_len = 0;
  int opt_level = 0;
  if ((text = get_string(env, argv[0], &text_len, "irText")) == NULL) goto fail;
  if (!get_opt_level(env, argv[1], &opt_level)) goto fail;
  if ((name = get_string(env, argv[2], NULL, "moduleName")) == NULL) goto fail;
  bool is_array = false;
  NAPI_CALL(env, napi_is_array(env, argv[3], &is_array));
  if (!is_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "symbols must be an array of strings");
    goto fail;
  }
  NAPI_CALL(env, napi_get_array_length(env, argv[3], &count));
  symbols = calloc(count + 1, sizeof(char *));
  names = calloc(count + 1, sizeof(char *));
  addresses = calloc(count + 1, sizeof(LLVMOrcExecutorAddress));
  if (symbols == NULL || names == NULL || addresses == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    goto fail;
  }
  for (uint32_t i = 0; i < count; i++) {
    napi_value s, n;
    NAPI_CALL(env, napi_get_element(env, argv[3], i, &s));
    if ((symbols[i] = get_string(env, s, NULL, "symbols[i]")) == NULL) goto fail;
    NAPI_CALL(env, napi_get_element(env, argv[4], i, &n));
    if ((names[i] = get_string(env, n, NULL, "names[i]")) == NULL) goto fail;
  }

  LLVMOrcLLJITRef j = jit(env);
  if (j == NULL) goto fail;
  LLVMTargetMachineRef tm = target_machine(env, opt_level);
  if (tm == NULL) goto fail;

  clear_session_errors();
  tsc = LLVMOrcCreateNewThreadSafeContext();
  LLVMContextRef ctx = LLVMOrcThreadSafeContextGetContext(tsc);
  if (uses_opaque_pointers(text, text_len)) rvsdg_enable_opaque_pointers(ctx);
  prepare_timings timings = {0, 0};
  module = prepare_module(env, ctx, text, text_len, name, opt_level, tm, &timings);
  if (module == NULL) goto fail;

  for (uint32_t i = 0; i < count; i++) {
    if (!check_wrapper(env, module, symbols[i], name)) goto fail;
  }
  optimized = LLVMPrintModuleToString(module);
  int tiered = optional_flag(env, argv, argc, 5);
  if (tiered) add_redirect_slots(module, symbols, count);

  double t2 = now_ms();
  uint64_t id = ++g_module_counter;
  make_names_unique(module, id);
  jm = calloc(1, sizeof(jit_module));
  if (jm == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    goto fail;
  }
  jm->tracker = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(j));
  jm->refs = 1;
  g_live_modules++;
  LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(module, tsc);
  module = NULL;
  LLVMOrcDisposeThreadSafeContext(tsc);
  tsc = NULL;
  LLVMErrorRef err = LLVMOrcLLJITAddLLVMIRModuleWithRT(j, jm->tracker, tsm);
  if (err != NULL) {
    throw_llvm_error(env, "ERR_LLVM_JIT", "LLVM JIT could not add the module", err);
    goto fail;
  }
  for (uint32_t i = 0; i < count; i++) {
    size_t lookup_len = strlen(symbols[i]) + 32;
    char *lookup = malloc(lookup_len);
    if (lookup == NULL) {
      napi_throw_error(env, NULL, "out of memory");
      goto fail;
    }
    snprintf(lookup, lookup_len, "%s.rvsdg%llu", symbols[i], (unsigned long long)id);
    // The first lookup compiles the whole module.
    err = LLVMOrcLLJITLookup(j, &addresses[i], lookup);
    free(lookup);
    if (err != NULL) {
      throw_llvm_error(env, "ERR_LLVM_JIT", "LLVM JIT compilation failed", err);
      goto fail;
    }
  }
  if (!no_diagnostics(env, "ERR_LLVM_JIT", "LLVM JIT compilation failed")) goto fail;
  if (tiered) {
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".rvsdg%llu", (unsigned long long)id);
    if (!find_redirect_slots(j, jm, symbols, count, suffix)) {
      napi_throw_error(env, "ERR_LLVM_JIT", "LLVM JIT: the tiered module has no redirection slots");
      goto fail;
    }
  }
  double t3 = now_ms();

  result = module_functions(env, jm, addresses, symbols, names, count);
  if (result == NULL) {
    // module_functions has dropped the code and given up jm's initial reference.
    jm = NULL;
    goto fail;
  }
  handle_created = 1;
  napi_value timing_object, ir;
  NAPI_CALL(env, napi_create_string_utf8(env, optimized, NAPI_AUTO_LENGTH, &ir));
  NAPI_CALL(env, napi_create_object(env, &timing_object));
  if (!set_number(env, timing_object, "parseMs", timings.parse_ms) ||
      !set_number(env, timing_object, "optimizeMs", timings.optimize_ms) ||
      !set_number(env, timing_object, "jitMs", t3 - t2)) {
    napi_throw_error(env, "ERR_NAPI", "could not build the timings object");
    goto fail;
  }
  NAPI_CALL(env, napi_set_named_property(env, result, "optimizedIR", ir));
  NAPI_CALL(env, napi_set_named_property(env, result, "timings", timing_object));
  // From here on the handle external owns jm's initial reference.
  jm = NULL;
  goto done;

fail:
  result = NULL;
  if (jm != NULL) {
    // Functions already created keep their references; the code goes now,
    // and the struct once they are collected.
    drop_code(jm);
    // Once the handle exists its finalizer drops the initial reference.
    if (!handle_created) module_unref(jm);
  }
done:
  if (module != NULL) LLVMDisposeModule(module);
  if (tsc != NULL) LLVMOrcDisposeThreadSafeContext(tsc);
  if (optimized != NULL) LLVMDisposeMessage(optimized);
  for (uint32_t i = 0; symbols != NULL && i < count; i++) free(symbols[i]);
  for (uint32_t i = 0; names != NULL && i < count; i++) free(names[i]);
  free(symbols);
  free(names);
  free(addresses);
  free(text);
  free(name);
  return result;
}

// release(handle): frees the module's code now. Functions made from it must
// not be called afterwards.
static napi_value release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  jit_module *jm = NULL;
  napi_valuetype type;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "release(handle) needs a handle returned by compile()");
    return NULL;
  }
  NAPI_CALL(env, napi_get_value_external(env, argv[0], (void **)&jm));
  if (!jm->released) {
    unlink_redirect(jm);
    jm->released = 1;
    g_live_modules--;
    LLVMErrorRef err = LLVMOrcResourceTrackerRemove(jm->tracker);
    LLVMOrcReleaseResourceTracker(jm->tracker);
    if (err != NULL) {
      throw_llvm_error(env, "ERR_LLVM_JIT", "LLVM JIT could not release the module", err);
      return NULL;
    }
  }
fail:
  return NULL;
}

// Shared by assembly(), emitObject() and optimize(): parse and optimize in a
// private context, then hand the module to `emit`.
typedef napi_value (*emit_fn)(napi_env env, LLVMTargetMachineRef tm, LLVMModuleRef module, const char *path);

static napi_value with_optimized_module(napi_env env, napi_callback_info info, size_t nargs, emit_fn emit) {
  size_t argc = 4;
  napi_value argv[4];
  char *text = NULL, *path = NULL;
  napi_value result = NULL;
  LLVMContextRef ctx = NULL;
  LLVMModuleRef module = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < nargs) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "missing arguments");
    return NULL;
  }
  size_t text_len = 0;
  int opt_level = 0;
  if ((text = get_string(env, argv[0], &text_len, "irText")) == NULL) goto fail;
  if (!get_opt_level(env, argv[1], &opt_level)) goto fail;
  if (nargs > 2 && (path = get_string(env, argv[2], NULL, "path")) == NULL) goto fail;
  LLVMTargetMachineRef tm = target_machine(env, opt_level);
  if (tm == NULL) goto fail;
  ctx = LLVMContextCreate();
  if (uses_opaque_pointers(text, text_len)) rvsdg_enable_opaque_pointers(ctx);
  module = prepare_module(env, ctx, text, text_len, "module", opt_level, tm, NULL);
  if (module == NULL) goto fail;
  // Optional list of wrapper symbols the module must export.
  if (argc > nargs) {
    bool is_array = false;
    uint32_t count = 0;
    NAPI_CALL(env, napi_is_array(env, argv[nargs], &is_array));
    if (is_array) NAPI_CALL(env, napi_get_array_length(env, argv[nargs], &count));
    for (uint32_t i = 0; i < count; i++) {
      napi_value s;
      NAPI_CALL(env, napi_get_element(env, argv[nargs], i, &s));
      char *symbol = get_string(env, s, NULL, "symbols[i]");
      if (symbol == NULL) goto fail;
      int ok = check_wrapper(env, module, symbol, "module");
      free(symbol);
      if (!ok) goto fail;
    }
  }
  result = emit(env, tm, module, path);
fail:
  if (module != NULL) LLVMDisposeModule(module);
  if (ctx != NULL) LLVMContextDispose(ctx);
  free(text);
  free(path);
  return result;
}

static napi_value emit_assembly(napi_env env, LLVMTargetMachineRef tm, LLVMModuleRef module, const char *path) {
  (void)path;
  char *message = NULL;
  LLVMMemoryBufferRef buffer = NULL;
  if (LLVMTargetMachineEmitToMemoryBuffer(tm, module, LLVMAssemblyFile, &message, &buffer) != 0) {
    throw_llvm(env, "ERR_LLVM_CODEGEN", "LLVM code generation failed", message);
    LLVMDisposeMessage(message);
    return NULL;
  }
  if (!no_diagnostics(env, "ERR_LLVM_CODEGEN", "LLVM code generation failed")) {
    LLVMDisposeMemoryBuffer(buffer);
    return NULL;
  }
  napi_value result = NULL;
  if (napi_create_string_utf8(env, LLVMGetBufferStart(buffer), LLVMGetBufferSize(buffer), &result) != napi_ok)
    result = NULL;
  LLVMDisposeMemoryBuffer(buffer);
  return result;
}

static napi_value emit_object(napi_env env, LLVMTargetMachineRef tm, LLVMModuleRef module, const char *path) {
  char *message = NULL;
  if (LLVMTargetMachineEmitToFile(tm, module, (char *)path, LLVMObjectFile, &message) != 0) {
    throw_llvm(env, "ERR_LLVM_CODEGEN", "LLVM object emission failed", message);
    LLVMDisposeMessage(message);
    return NULL;
  }
  if (!no_diagnostics(env, "ERR_LLVM_CODEGEN", "LLVM object emission failed")) return NULL;
  napi_value result = NULL;
  napi_get_undefined(env, &result);
  return result;
}

static napi_value emit_ir(napi_env env, LLVMTargetMachineRef tm, LLVMModuleRef module, const char *path) {
  (void)tm;
  (void)path;
  char *text = LLVMPrintModuleToString(module);
  napi_value result = NULL;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result) != napi_ok) result = NULL;
  LLVMDisposeMessage(text);
  return result;
}

// assembly(irText, optLevel, requiredSymbols?) -> string
static napi_value assembly(napi_env env, napi_callback_info info) {
  return with_optimized_module(env, info, 2, emit_assembly);
}

// emitObject(irText, optLevel, path, requiredSymbols?)
static napi_value emit_object_file(napi_env env, napi_callback_info info) {
  return with_optimized_module(env, info, 3, emit_object);
}

// optimize(irText, optLevel) -> optimized IR text, without touching the JIT
static napi_value optimize(napi_env env, napi_callback_info info) {
  return with_optimized_module(env, info, 2, emit_ir);
}

// verify(irText, moduleName) -> undefined: parses and verifies the text in a
// private context (throws ERR_LLVM_PARSE or ERR_LLVM_VERIFY), nothing more.
static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char *text = NULL, *name = NULL;
  napi_value result = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "verify(irText, moduleName)");
    return NULL;
  }
  size_t text_len = 0;
  if ((text = get_string(env, argv[0], &text_len, "irText")) == NULL) goto fail;
  if ((name = get_string(env, argv[1], NULL, "moduleName")) == NULL) goto fail;
  LLVMContextRef ctx = LLVMContextCreate();
  if (uses_opaque_pointers(text, text_len)) rvsdg_enable_opaque_pointers(ctx);
  LLVMModuleRef module = parse_verified(env, ctx, text, text_len, name);
  if (module != NULL) {
    LLVMDisposeModule(module);
    napi_get_undefined(env, &result);
  }
  LLVMContextDispose(ctx);
fail:
  free(text);
  free(name);
  return result;
}

// ==== On-disk cache: object code another process can load ===================
// (disk-cache) compileObject() compiles like compile(), but through an object
// file kept in memory and handed to JS as well, so that the runtime can store
// it; loadObject() adds such an object to the JIT without compiling anything.
// Definitions in these objects carry a fixed placeholder suffix instead of
// compile()'s per-process `.rvsdg<N>`; loading rewrites the placeholder in the
// object's string tables to a number unique in this process, so two loads of
// one object (or of objects from two processes) never clash.

#include <elf.h>

#define RVSDG_CACHE_PLACEHOLDER ".rvsdg00000000000000000000"
// Loaded objects are numbered from 10^19 up: 20 digits like the placeholder,
// never equal to one of compile()'s ids.
static uint64_t g_loaded_objects = 0;
// Static relocations, the large code model and (from O2 up) the default
// code generation level, as the JIT's own code generator uses for compile():
// sections the JIT maps may lie far apart. O0 and O1 ask for a quicker
// compile, so they also get the quicker instruction selection.
static LLVMTargetMachineRef g_object_tm[4] = {NULL, NULL, NULL, NULL};

static LLVMTargetMachineRef object_target_machine(napi_env env, int opt_level) {
  static const LLVMCodeGenOptLevel levels[4] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault,
                                                LLVMCodeGenLevelDefault};
  return cached_target_machine(env, g_object_tm, opt_level, levels[opt_level], LLVMRelocStatic, LLVMCodeModelLarge);
}

// Rewrites the placeholder suffix in every string table of an ELF64 object.
// Returns how many names it rewrote, or -1 when the bytes are no ELF64 object.
static int patch_object_names(unsigned char *bytes, size_t len, const char *suffix) {
  Elf64_Ehdr eh;
  if (len < sizeof eh || memcmp(bytes, ELFMAG, SELFMAG) != 0 || bytes[EI_CLASS] != ELFCLASS64) return -1;
  memcpy(&eh, bytes, sizeof eh);
  if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > len ||
      (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > len - eh.e_shoff)
    return -1;
  size_t placeholder_len = strlen(RVSDG_CACHE_PLACEHOLDER);
  int count = 0;
  for (unsigned i = 0; i < eh.e_shnum; i++) {
    Elf64_Shdr sh;
    memcpy(&sh, bytes + eh.e_shoff + (size_t)i * sizeof sh, sizeof sh);
    if (sh.sh_type != SHT_STRTAB) continue;
    if (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset) return -1;
    unsigned char *p = bytes + sh.sh_offset, *end = p + sh.sh_size;
    for (;;) {
      unsigned char *hit = memmem(p, (size_t)(end - p), RVSDG_CACHE_PLACEHOLDER, placeholder_len);
      if (hit == NULL) break;
      memcpy(hit, suffix, placeholder_len);
      count++;
      p = hit + placeholder_len;
    }
  }
  return count;
}

// Reads an array of strings; NULL (with an exception pending) on failure.
static char **get_string_array(napi_env env, napi_value value, uint32_t *count, const char *what) {
  bool is_array = false;
  *count = 0;
  if (napi_is_array(env, value, &is_array) != napi_ok || !is_array) {
    char message[128];
    snprintf(message, sizeof message, "%s must be an array of strings", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
    return NULL;
  }
  uint32_t n = 0;
  if (napi_get_array_length(env, value, &n) != napi_ok) return NULL;
  char **strings = calloc(n + 1, sizeof(char *));
  if (strings == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value element;
    if (napi_get_element(env, value, i, &element) != napi_ok || (strings[i] = get_string(env, element, NULL, what)) == NULL) {
      for (uint32_t k = 0; k < i; k++) free(strings[k]);
      free(strings);
      return NULL;
    }
  }
  *count = n;
  return strings;
}

static void free_string_array(char **strings, uint32_t count) {
  for (uint32_t i = 0; strings != NULL && i < count; i++) free(strings[i]);
  free(strings);
}

// A failure where there may be no env (a background compile): thrown into
// env, or kept for the complete callback.
static void fail_with(napi_env env, const char *code, const char *message) {
  if (env != NULL) {
    napi_throw_error(env, code, message);
    return;
  }
  free(t_background_error);
  t_background_error = strdup(message);
}

// Adds a copy of an object from compileObject() to the JIT under its own
// resource tracker, links it and finds its wrappers' `addresses` (and with
// `tiered`, its redirection slots). Makes no JS values, so it also runs on
// a background compile's thread (env NULL). Returns the module with one
// reference, or NULL with the error thrown into env (or kept, see
// fail_with).
static jit_module *link_object(napi_env env, const void *bytes, size_t len, char **symbols, uint32_t count,
                               int tiered, LLVMOrcExecutorAddress *addresses) {
  jit_module *jm = NULL;
  // A background compile's caller has started the JIT.
  LLVMOrcLLJITRef j = env != NULL ? jit(env) : g_jit;
  if (j == NULL) {
    if (env == NULL) fail_with(NULL, "ERR_LLVM_JIT", "LLVM JIT not started");
    return NULL;
  }
  unsigned char *copy = malloc(len > 0 ? len : 1);
  if (copy == NULL) {
    fail_with(env, NULL, "out of memory");
    goto fail;
  }
  memcpy(copy, bytes, len);
  uint64_t id = 10000000000000000000ULL + ++g_loaded_objects;
  char suffix[32];
  snprintf(suffix, sizeof suffix, ".rvsdg%020llu", (unsigned long long)id);
  if (patch_object_names(copy, len, suffix) <= 0) {
    fail_with(env, "ERR_LLVM_OBJECT", "not an object from compileObject(): no ELF64 object with rvsdg names");
    goto fail;
  }
  clear_session_errors();
  jm = calloc(1, sizeof(jit_module));
  if (jm == NULL) {
    fail_with(env, NULL, "out of memory");
    goto fail;
  }
  jm->tracker = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(j));
  jm->refs = 1;
  g_live_modules++;
  LLVMMemoryBufferRef buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy((const char *)copy, len, "rvsdg-object");
  // Takes ownership of the buffer.
  LLVMErrorRef err = LLVMOrcLLJITAddObjectFileWithRT(j, jm->tracker, buffer);
  if (err != NULL) {
    throw_llvm_error(env, "ERR_LLVM_JIT", "LLVM JIT could not add the object", err);
    goto fail;
  }
  for (uint32_t i = 0; i < count; i++) {
    size_t lookup_len = strlen(symbols[i]) + sizeof suffix;
    char *lookup = malloc(lookup_len);
    if (lookup == NULL) {
      fail_with(env, NULL, "out of memory");
      goto fail;
    }
    snprintf(lookup, lookup_len, "%s%s", symbols[i], suffix);
    err = LLVMOrcLLJITLookup(j, &addresses[i], lookup);
    free(lookup);
    if (err != NULL) {
      throw_llvm_error(env, "ERR_LLVM_JIT", "LLVM JIT could not link the object", err);
      goto fail;
    }
  }
  if (tiered && !find_redirect_slots(j, jm, symbols, count, suffix)) {
    fail_with(env, "ERR_LLVM_JIT", "LLVM JIT: the tiered object has no redirection slots");
    goto fail;
  }
  free(copy);
  return jm;
fail:
  if (jm != NULL) module_unref(jm);
  free(copy);
  return NULL;
}

// JS functions for a linked module's wrappers: { handle, functions }. The
// handle owns the module's initial reference (also when this fails: the
// code goes now, the struct once the functions already made are
// collected). NULL with an exception pending on failure.
static napi_value module_functions(napi_env env, jit_module *jm, const LLVMOrcExecutorAddress *addresses,
                                   char **symbols, char **names, uint32_t count) {
  napi_value result = NULL, functions, handle;
  if (napi_create_external(env, jm, finalize_module_ref, NULL, &handle) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, "ERR_NAPI", "napi_create_external failed");
    drop_code(jm);
    module_unref(jm);
    return NULL;
  }
  NAPI_CALL(env, napi_create_object(env, &result));
  NAPI_CALL(env, napi_create_object(env, &functions));
  for (uint32_t i = 0; i < count; i++) {
    napi_value fn;
    NAPI_CALL(env, napi_create_function(env, names[i], NAPI_AUTO_LENGTH, (napi_callback)(uintptr_t)addresses[i], NULL,
                                        &fn));
    jm->refs++;
    if (napi_add_finalizer(env, fn, jm, finalize_module_ref, NULL, NULL) != napi_ok) {
      jm->refs--;
      napi_throw_error(env, "ERR_NAPI", "napi_add_finalizer failed");
      goto fail;
    }
    NAPI_CALL(env, napi_set_named_property(env, functions, symbols[i], fn));
  }
  NAPI_CALL(env, napi_set_named_property(env, result, "handle", handle));
  NAPI_CALL(env, napi_set_named_property(env, result, "functions", functions));
  return result;
fail:
  drop_code(jm);
  return NULL;
}

// add_object: link_object, then the JS functions.
static napi_value add_object(napi_env env, const void *bytes, size_t len, char **symbols, char **names,
                             uint32_t count, int tiered) {
  LLVMOrcExecutorAddress *addresses = calloc(count + 1, sizeof(LLVMOrcExecutorAddress));
  if (addresses == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  napi_value result = NULL;
  jit_module *jm = link_object(env, bytes, len, symbols, count, tiered, addresses);
  if (jm != NULL) result = module_functions(env, jm, addresses, symbols, names, count);
  free(addresses);
  return result;
}

// compileObject(irText, optLevel, moduleName, symbols[], names[], tiered?)
//   -> { handle, functions, object: ArrayBuffer, optimizedIR, timings }
// (`tiered` as for compile(); the object then has the redirection slots.)
static napi_value compile_object(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  char *text = NULL, *name = NULL, *optimized = NULL;
  char **symbols = NULL, **names = NULL;
  uint32_t count = 0, name_count = 0;
  LLVMContextRef ctx = NULL;
  LLVMModuleRef module = NULL;
  LLVMMemoryBufferRef object = NULL;
  napi_value result = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "compileObject(irText, optLevel, moduleName, symbols, names)");
    return NULL;
  }
  size_t text_len = 0;
  int opt_level = 0;
  if ((text = get_string(env, argv[0], &text_len, "irText")) == NULL) goto fail;
  if (!get_opt_level(env, argv[1], &opt_level)) goto fail;
  if ((name = get_string(env, argv[2], NULL, "moduleName")) == NULL) goto fail;
  if ((symbols = get_string_array(env, argv[3], &count, "symbols")) == NULL) goto fail;
  if ((names = get_string_array(env, argv[4], &name_count, "names")) == NULL) goto fail;
  if (name_count != count) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "symbols and names must have the same length");
    goto fail;
  }
  if (jit(env) == NULL) goto fail;
  LLVMTargetMachineRef tm = object_target_machine(env, opt_level);
  if (tm == NULL) goto fail;
  clear_session_errors();
  ctx = LLVMContextCreate();
  if (uses_opaque_pointers(text, text_len)) rvsdg_enable_opaque_pointers(ctx);
  prepare_timings timings = {0, 0};
  module = prepare_module(env, ctx, text, text_len, name, opt_level, tm, &timings);
  if (module == NULL) goto fail;
  for (uint32_t i = 0; i < count; i++) {
    if (!check_wrapper(env, module, symbols[i], name)) goto fail;
  }
  optimized = LLVMPrintModuleToString(module);
  int tiered = optional_flag(env, argv, argc, 5);
  if (tiered) add_redirect_slots(module, symbols, count);
  double t2 = now_ms();
  g_module_counter++;
  suffix_definitions(module, RVSDG_CACHE_PLACEHOLDER);
  char *message = NULL;
  if (LLVMTargetMachineEmitToMemoryBuffer(tm, module, LLVMObjectFile, &message, &object) != 0) {
    throw_llvm(env, "ERR_LLVM_CODEGEN", "LLVM code generation failed", message);
    LLVMDisposeMessage(message);
    goto fail;
  }
  if (!no_diagnostics(env, "ERR_LLVM_CODEGEN", "LLVM code generation failed")) goto fail;
  const char *bytes = LLVMGetBufferStart(object);
  size_t size = LLVMGetBufferSize(object);
  result = add_object(env, bytes, size, symbols, names, count, tiered);
  if (result == NULL) goto fail;
  double t3 = now_ms();
  napi_value array_buffer, ir, timing_object;
  void *data = NULL;
  NAPI_CALL(env, napi_create_arraybuffer(env, size, &data, &array_buffer));
  memcpy(data, bytes, size);
  NAPI_CALL(env, napi_create_string_utf8(env, optimized, NAPI_AUTO_LENGTH, &ir));
  NAPI_CALL(env, napi_create_object(env, &timing_object));
  if (!set_number(env, timing_object, "parseMs", timings.parse_ms) ||
      !set_number(env, timing_object, "optimizeMs", timings.optimize_ms) ||
      !set_number(env, timing_object, "jitMs", t3 - t2)) {
    napi_throw_error(env, "ERR_NAPI", "could not build the timings object");
    goto fail;
  }
  NAPI_CALL(env, napi_set_named_property(env, result, "object", array_buffer));
  NAPI_CALL(env, napi_set_named_property(env, result, "optimizedIR", ir));
  NAPI_CALL(env, napi_set_named_property(env, result, "timings", timing_object));
  goto done;
fail:
  result = NULL;
done:
  if (object != NULL) LLVMDisposeMemoryBuffer(object);
  if (module != NULL) LLVMDisposeModule(module);
  if (ctx != NULL) LLVMContextDispose(ctx);
  if (optimized != NULL) LLVMDisposeMessage(optimized);
  free_string_array(symbols, count);
  free_string_array(names, name_count);
  free(text);
  free(name);
  return result;
}

// loadObject(object: ArrayBuffer | TypedArray, symbols[], names[]) -> { handle, functions }
static napi_value load_object(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  char **symbols = NULL, **names = NULL;
  uint32_t count = 0, name_count = 0;
  napi_value result = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "loadObject(object, symbols, names)");
    return NULL;
  }
  void *data = NULL;
  size_t len = 0;
  bool is_typed = false, is_buffer = false;
  NAPI_CALL(env, napi_is_typedarray(env, argv[0], &is_typed));
  NAPI_CALL(env, napi_is_arraybuffer(env, argv[0], &is_buffer));
  if (is_typed) {
    napi_typedarray_type type;
    size_t length = 0, offset = 0;
    napi_value ab;
    NAPI_CALL(env, napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &offset));
    if (type != napi_uint8_array) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "object must be a Uint8Array or an ArrayBuffer");
      goto fail;
    }
    len = length;
  } else if (is_buffer) {
    NAPI_CALL(env, napi_get_arraybuffer_info(env, argv[0], &data, &len));
  } else {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "object must be a Uint8Array or an ArrayBuffer");
    goto fail;
  }
  if ((symbols = get_string_array(env, argv[1], &count, "symbols")) == NULL) goto fail;
  if ((names = get_string_array(env, argv[2], &name_count, "names")) == NULL) goto fail;
  if (name_count != count) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "symbols and names must have the same length");
    goto fail;
  }
  result = add_object(env, data, len, symbols, names, count, 0);
fail:
  free_string_array(symbols, count);
  free_string_array(names, name_count);
  return result;
}
// ==== end of on-disk cache ===================================================

// start() -> { triple, cpu, features }: starts the JIT (once) and describes
// the host it compiles for.
static napi_value start(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result = NULL, v;
  if (jit(env) == NULL) return NULL;
  NAPI_CALL(env, napi_create_object(env, &result));
  NAPI_CALL(env, napi_create_string_utf8(env, g_triple, NAPI_AUTO_LENGTH, &v));
  NAPI_CALL(env, napi_set_named_property(env, result, "triple", v));
  NAPI_CALL(env, napi_create_string_utf8(env, g_cpu, NAPI_AUTO_LENGTH, &v));
  NAPI_CALL(env, napi_set_named_property(env, result, "cpu", v));
  NAPI_CALL(env, napi_create_string_utf8(env, g_features, NAPI_AUTO_LENGTH, &v));
  NAPI_CALL(env, napi_set_named_property(env, result, "features", v));
  return result;
fail:
  return NULL;
}

// stats() -> { liveModules, compiledModules, loadedObjects, redirectedModules }
static napi_value stats(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result = NULL;
  NAPI_CALL(env, napi_create_object(env, &result));
  if (!set_number(env, result, "liveModules", (double)g_live_modules) ||
      !set_number(env, result, "compiledModules", (double)g_module_counter) ||
      !set_number(env, result, "loadedObjects", (double)g_loaded_objects) ||
      !set_number(env, result, "redirectedModules", (double)g_redirects))
    return NULL;
  return result;
fail:
  return NULL;
}

// ---- tiered compilation: compileAsync ------------------------------------------
// compileAsync(irText, optLevel, moduleName, symbols[], names[]) -> Promise of
// the same object compile() returns. Parsing, optimization and code
// generation run on a libuv worker thread (napi_create_async_work); only
// adding the module to the JIT and code generation hold g_lock (parsing and
// optimizing use a private context and target machine). The main thread
// only creates the JS functions in the complete callback. The runtime uses
// it to recompile a hot function at O3 while its quick tier keeps running.

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  char *text;
  size_t text_len;
  char *name;
  char **symbols;
  char **names;
  uint32_t count;
  int opt_level;
  LLVMTargetMachineRef tm;
  // Results of execute(), owned here until complete() hands them to JS.
  jit_module *jm;
  LLVMOrcExecutorAddress *addresses;
  char *optimized;
  char *error;
  prepare_timings timings;
  double jit_ms;
  // keepObject: the machine code as an object file, made as compileObject
  // makes it, added to the JIT here; complete() hands JS a copy.
  int keep_object;
  unsigned char *object;
  size_t object_len;
  // A tiered module (one reference held here) whose wrappers are pointed
  // at this compile's as soon as its code is linked, on the worker thread:
  // calls switch tiers without waiting for the event loop.
  jit_module *replaces;
} background_compile;

// Set by the exit handler: the process is going away, start nothing more.
static int g_exiting = 0;
// Background compiles parsing or optimizing outside the lock; the exit
// handler waits for them (under g_lock, signalled by g_background_done).
static int g_background_active = 0;
static pthread_cond_t g_background_done = PTHREAD_COND_INITIALIZER;

static void free_background_compile(background_compile *c) {
  for (uint32_t i = 0; c->symbols != NULL && i < c->count; i++) free(c->symbols[i]);
  for (uint32_t i = 0; c->names != NULL && i < c->count; i++) free(c->names[i]);
  free(c->symbols);
  free(c->names);
  free(c->addresses);
  free(c->text);
  free(c->name);
  free(c->error);
  free(c->object);
  if (c->optimized != NULL) LLVMDisposeMessage(c->optimized);
  if (c->replaces != NULL) module_unref(c->replaces);
  free(c);
}

static void drop_background_module(background_compile *c) {
  if (c->jm == NULL) return;
  LLVMErrorRef err = LLVMOrcResourceTrackerRemove(c->jm->tracker);
  if (err != NULL) LLVMConsumeError(err);
  LLVMOrcReleaseResourceTracker(c->jm->tracker);
  g_live_modules--;
  free(c->jm);
  c->jm = NULL;
}

static void take_background_error(background_compile *c, const char *fallback) {
  free(c->error);
  c->error = t_background_error != NULL ? t_background_error : strdup(fallback);
  t_background_error = NULL;
}

static LLVMCodeGenOptLevel background_codegen_level(int opt_level) {
  static const LLVMCodeGenOptLevel levels[4] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess, LLVMCodeGenLevelDefault,
                                                LLVMCodeGenLevelAggressive};
  return levels[opt_level];
}

// Worker thread: no N-API calls here.
static void background_execute(napi_env env, void *data) {
  (void)env;
  background_compile *c = data;
  // Parsing and optimizing touch only this module's own context and a
  // private target machine (a shared one caches subtargets unsynchronized),
  // so they run without the lock: the main thread's compiles and
  // finalizers wait only for adding the module and generating its code.
  pthread_mutex_lock(&g_lock);
  int exiting = g_exiting;
  if (!exiting) g_background_active++;
  pthread_mutex_unlock(&g_lock);
  if (exiting) {
    c->error = strdup("the process is exiting");
    return;
  }
  clear_session_errors();
  LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
  LLVMContextRef ctx = LLVMOrcThreadSafeContextGetContext(tsc);
  if (uses_opaque_pointers(c->text, c->text_len)) rvsdg_enable_opaque_pointers(ctx);
  LLVMModuleRef module = NULL;
  // An object gets object_target_machine's settings (static relocations, large code model).
  LLVMTargetMachineRef tm =
      c->keep_object
          ? LLVMCreateTargetMachine(LLVMGetTargetMachineTarget(c->tm), g_triple, g_cpu, g_features,
                                    c->opt_level >= 2 ? LLVMCodeGenLevelDefault : background_codegen_level(c->opt_level),
                                    LLVMRelocStatic, LLVMCodeModelLarge)
          : LLVMCreateTargetMachine(LLVMGetTargetMachineTarget(c->tm), g_triple, g_cpu, g_features,
                                    background_codegen_level(c->opt_level), LLVMRelocPIC, LLVMCodeModelDefault);
  if (tm != NULL) {
    module = prepare_module(NULL, ctx, c->text, c->text_len, c->name, c->opt_level, tm, &c->timings);
  } else {
    t_background_error = strdup("LLVM: could not create a target machine");
  }
  if (module != NULL) c->optimized = LLVMPrintModuleToString(module);
  if (c->keep_object) {
    // Code generation to an object needs no lock either: private module and target machine.
    double t2 = now_ms();
    if (module != NULL) {
      suffix_definitions(module, RVSDG_CACHE_PLACEHOLDER);
      LLVMMemoryBufferRef object = NULL;
      char *message = NULL;
      if (LLVMTargetMachineEmitToMemoryBuffer(tm, module, LLVMObjectFile, &message, &object) != 0) {
        throw_llvm(NULL, "ERR_LLVM_CODEGEN", "LLVM code generation failed", message);
        LLVMDisposeMessage(message);
      } else if (no_diagnostics(NULL, "ERR_LLVM_CODEGEN", "LLVM code generation failed")) {
        c->object_len = LLVMGetBufferSize(object);
        c->object = malloc(c->object_len > 0 ? c->object_len : 1);
        if (c->object != NULL) memcpy(c->object, LLVMGetBufferStart(object), c->object_len);
        else c->error = strdup("out of memory");
      }
      if (object != NULL) LLVMDisposeMemoryBuffer(object);
      LLVMDisposeModule(module);
    }
    if (tm != NULL) LLVMDisposeTargetMachine(tm);
    LLVMOrcDisposeThreadSafeContext(tsc);
    pthread_mutex_lock(&g_lock);
    g_background_active--;
    pthread_cond_broadcast(&g_background_done);
    if (c->object == NULL && c->error == NULL) take_background_error(c, "LLVM code generation failed");
    if (c->object != NULL && c->error == NULL) {
      if (g_exiting) {
        c->error = strdup("the process is exiting");
      } else {
        // Linked here, as add_object would on the main thread, so that the redirection needs no event loop.
        g_module_counter++;
        c->jm = link_object(NULL, c->object, c->object_len, c->symbols, c->count, 0, c->addresses);
        if (c->jm == NULL) take_background_error(c, "LLVM JIT could not add the object");
        else redirect_module(c->replaces, c->jm, c->addresses, c->count);
      }
    }
    c->jit_ms = now_ms() - t2;
    pthread_mutex_unlock(&g_lock);
    return;
  }
  if (tm != NULL) LLVMDisposeTargetMachine(tm);
  pthread_mutex_lock(&g_lock);
  g_background_active--;
  pthread_cond_broadcast(&g_background_done);
  if (module == NULL) {
    take_background_error(c, "LLVM: the module could not be prepared");
    LLVMOrcDisposeThreadSafeContext(tsc);
    pthread_mutex_unlock(&g_lock);
    return;
  }
  if (g_exiting) {
    c->error = strdup("the process is exiting");
    LLVMDisposeModule(module);
    LLVMOrcDisposeThreadSafeContext(tsc);
    pthread_mutex_unlock(&g_lock);
    return;
  }
  double t2 = now_ms();
  uint64_t id = ++g_module_counter;
  make_names_unique(module, id);
  c->jm = calloc(1, sizeof(jit_module));
  if (c->jm == NULL) {
    c->error = strdup("out of memory");
    LLVMDisposeModule(module);
    LLVMOrcDisposeThreadSafeContext(tsc);
    pthread_mutex_unlock(&g_lock);
    return;
  }
  c->jm->tracker = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(g_jit));
  c->jm->refs = 1;
  g_live_modules++;
  LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(module, tsc);
  LLVMOrcDisposeThreadSafeContext(tsc);
  LLVMErrorRef err = LLVMOrcLLJITAddLLVMIRModuleWithRT(g_jit, c->jm->tracker, tsm);
  if (err != NULL) {
    throw_llvm_error(NULL, "ERR_LLVM_JIT", "LLVM JIT could not add the module", err);
    take_background_error(c, "LLVM JIT could not add the module");
    drop_background_module(c);
    pthread_mutex_unlock(&g_lock);
    return;
  }
  for (uint32_t i = 0; i < c->count; i++) {
    size_t lookup_len = strlen(c->symbols[i]) + 32;
    char *lookup = malloc(lookup_len);
    if (lookup == NULL) {
      c->error = strdup("out of memory");
      drop_background_module(c);
      pthread_mutex_unlock(&g_lock);
      return;
    }
    snprintf(lookup, lookup_len, "%s.rvsdg%llu", c->symbols[i], (unsigned long long)id);
    err = LLVMOrcLLJITLookup(g_jit, &c->addresses[i], lookup);
    free(lookup);
    if (err != NULL) {
      throw_llvm_error(NULL, "ERR_LLVM_JIT", "LLVM JIT compilation failed", err);
      take_background_error(c, "LLVM JIT compilation failed");
      drop_background_module(c);
      pthread_mutex_unlock(&g_lock);
      return;
    }
  }
  if (!no_diagnostics(NULL, "ERR_LLVM_JIT", "LLVM JIT compilation failed")) {
    take_background_error(c, "LLVM JIT compilation failed");
    drop_background_module(c);
  } else {
    redirect_module(c->replaces, c->jm, c->addresses, c->count);
  }
  c->jit_ms = now_ms() - t2;
  pthread_mutex_unlock(&g_lock);
}

// Main thread: the functions, the handle, and the promise's settlement.
static void background_complete(napi_env env, napi_status status, void *data) {
  background_compile *c = data;
  pthread_mutex_lock(&g_lock);
  napi_value result = NULL, timing_object, ir, error, message, array_buffer;
  if (status != napi_ok || c->error != NULL || c->jm == NULL) {
    if (c->jm != NULL) {
      drop_code(c->jm);
      module_unref(c->jm);
      c->jm = NULL;
    }
    const char *text = c->error != NULL ? c->error : "the background compilation was cancelled";
    if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message) == napi_ok &&
        napi_create_error(env, NULL, message, &error) == napi_ok)
      napi_reject_deferred(env, c->deferred, error);
    goto done;
  }
  // The handle owns the module from here on, also when this fails.
  jit_module *jm = c->jm;
  c->jm = NULL;
  result = module_functions(env, jm, c->addresses, c->symbols, c->names, c->count);
  if (result == NULL) {
    napi_value exception;
    if (napi_get_and_clear_last_exception(env, &exception) == napi_ok)
      napi_reject_deferred(env, c->deferred, exception);
    goto done;
  }
  if (c->object != NULL) {
    void *bytes = NULL;
    if (napi_create_arraybuffer(env, c->object_len, &bytes, &array_buffer) != napi_ok) goto failed;
    memcpy(bytes, c->object, c->object_len);
    if (napi_set_named_property(env, result, "object", array_buffer) != napi_ok) goto failed;
  }
  if (napi_create_string_utf8(env, c->optimized, NAPI_AUTO_LENGTH, &ir) != napi_ok ||
      napi_create_object(env, &timing_object) != napi_ok ||
      !set_number(env, timing_object, "parseMs", c->timings.parse_ms) ||
      !set_number(env, timing_object, "optimizeMs", c->timings.optimize_ms) ||
      !set_number(env, timing_object, "jitMs", c->jit_ms) ||
      napi_set_named_property(env, result, "optimizedIR", ir) != napi_ok ||
      napi_set_named_property(env, result, "timings", timing_object) != napi_ok)
    goto failed;
  napi_resolve_deferred(env, c->deferred, result);
  goto done;
failed:
  // The env may be shutting down (a worker thread ending): the code goes
  // now (a redirected module runs its own again), the struct once the
  // functions already made are collected.
  drop_code(jm);
  if (napi_create_string_utf8(env, "the background compilation's result could not be handed to JS", NAPI_AUTO_LENGTH,
                              &message) == napi_ok &&
      napi_create_error(env, NULL, message, &error) == napi_ok)
    napi_reject_deferred(env, c->deferred, error);
done:
  napi_delete_async_work(env, c->work);
  free_background_compile(c);
  pthread_mutex_unlock(&g_lock);
}

static napi_value compile_async(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_value promise = NULL, resource_name;
  background_compile *c = calloc(1, sizeof(background_compile));
  if (c == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS",
                          "compileAsync(irText, optLevel, moduleName, symbols, names, keepObject?)");
    goto fail;
  }
  if ((c->text = get_string(env, argv[0], &c->text_len, "irText")) == NULL) goto fail;
  if (!get_opt_level(env, argv[1], &c->opt_level)) goto fail;
  if ((c->name = get_string(env, argv[2], NULL, "moduleName")) == NULL) goto fail;
  if (argc >= 6) {
    bool keep = false;
    napi_valuetype type;
    NAPI_CALL(env, napi_typeof(env, argv[5], &type));
    if (type == napi_boolean) NAPI_CALL(env, napi_get_value_bool(env, argv[5], &keep));
    c->keep_object = keep;
  }
  if (argc >= 7) {
    napi_valuetype type;
    NAPI_CALL(env, napi_typeof(env, argv[6], &type));
    if (type == napi_external) {
      jit_module *replaces = NULL;
      NAPI_CALL(env, napi_get_value_external(env, argv[6], (void **)&replaces));
      // Only a live tiered module can be redirected (see redirect_module).
      if (replaces != NULL && replaces->slot_count > 0 && !replaces->released) {
        c->replaces = replaces;
        replaces->refs++;
      }
    }
  }
  bool is_array = false;
  NAPI_CALL(env, napi_is_array(env, argv[3], &is_array));
  if (!is_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "symbols must be an array of strings");
    goto fail;
  }
  NAPI_CALL(env, napi_get_array_length(env, argv[3], &c->count));
  c->symbols = calloc(c->count + 1, sizeof(char *));
  c->names = calloc(c->count + 1, sizeof(char *));
  c->addresses = calloc(c->count + 1, sizeof(LLVMOrcExecutorAddress));
  if (c->symbols == NULL || c->names == NULL || c->addresses == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    goto fail;
  }
  for (uint32_t i = 0; i < c->count; i++) {
    napi_value s, n;
    NAPI_CALL(env, napi_get_element(env, argv[3], i, &s));
    if ((c->symbols[i] = get_string(env, s, NULL, "symbols[i]")) == NULL) goto fail;
    NAPI_CALL(env, napi_get_element(env, argv[4], i, &n));
    if ((c->names[i] = get_string(env, n, NULL, "names[i]")) == NULL) goto fail;
  }
  // The JIT and the target machine start here, where errors can be thrown.
  if (jit(env) == NULL) goto fail;
  if ((c->tm = target_machine(env, c->opt_level)) == NULL) goto fail;
  NAPI_CALL(env, napi_create_promise(env, &c->deferred, &promise));
  NAPI_CALL(env, napi_create_string_utf8(env, "rvsdg:compileAsync", NAPI_AUTO_LENGTH, &resource_name));
  NAPI_CALL(env, napi_create_async_work(env, NULL, resource_name, background_execute, background_complete, c, &c->work));
  if (napi_queue_async_work(env, c->work) != napi_ok) {
    napi_delete_async_work(env, c->work);
    napi_throw_error(env, "ERR_NAPI", "napi_queue_async_work failed");
    goto fail;
  }
  return promise;
fail:
  // A created promise that is never settled is only garbage.
  free_background_compile(c);
  return NULL;
}

// Exit with a compile in flight: wait for it here, before LLVM's static
// destructors run under its feet, and start none afterwards.
static void wait_for_background_compiles(void) {
  pthread_mutex_lock(&g_lock);
  g_exiting = 1;
  while (g_background_active > 0) pthread_cond_wait(&g_background_done, &g_lock);
  // Left locked: a worker thread that wakes up now must not enter LLVM.
}
// ---- end tiered compilation ----

#define LOCKED(fn)                                                            \
  static napi_value fn##_locked(napi_env env, napi_callback_info info) {      \
    pthread_mutex_lock(&g_lock);                                              \
    napi_value result = fn(env, info);                                        \
    pthread_mutex_unlock(&g_lock);                                            \
    return result;                                                            \
  }
LOCKED(start)
LOCKED(compile)
LOCKED(release)
LOCKED(assembly)
LOCKED(emit_object_file)
LOCKED(stats)
LOCKED(optimize)
LOCKED(verify)
LOCKED(compile_async) // tiered compilation
LOCKED(compile_object)
LOCKED(load_object)
LOCKED(redirected) // tiered compilation

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"start", NULL, start_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"compile", NULL, compile_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"release", NULL, release_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"assembly", NULL, assembly_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"emitObject", NULL, emit_object_file_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"stats", NULL, stats_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"optimize", NULL, optimize_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verify", NULL, verify_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"compileAsync", NULL, compile_async_locked, NULL, NULL, NULL, napi_enumerable, NULL}, // tiered compilation
      {"compileObject", NULL, compile_object_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"loadObject", NULL, load_object_locked, NULL, NULL, NULL, napi_enumerable, NULL},
      {"redirected", NULL, redirected_locked, NULL, NULL, NULL, napi_enumerable, NULL}, // tiered compilation
  };
  // ---- tiered compilation ----
  static int exit_handler_registered = 0;
  pthread_mutex_lock(&g_lock);
  if (!exit_handler_registered) exit_handler_registered = atexit(wait_for_background_compiles) == 0;
  pthread_mutex_unlock(&g_lock);
  // ---- end tiered compilation ----
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

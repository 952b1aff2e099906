// Makes the rvsdg_* math functions (native/math/, V8's Math in C) resolvable
// by jitted code: they are linked into this addon, which node loads with
// local symbol visibility, so the process-wide symbol search cannot see them;
// they are defined as absolute symbols in the main JITDylib instead.
#include <llvm-c/Core.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "math/bits.h"

typedef struct {
  const char *name;
  void *address;
} math_symbol;

#define MATH_SYMBOL(fn) {#fn, (void *)fn}

static const math_symbol math_symbols[] = {
    MATH_SYMBOL(rvsdg_exp),   MATH_SYMBOL(rvsdg_expm1), MATH_SYMBOL(rvsdg_log),   MATH_SYMBOL(rvsdg_log1p),
    MATH_SYMBOL(rvsdg_log2),  MATH_SYMBOL(rvsdg_log10), MATH_SYMBOL(rvsdg_sin),   MATH_SYMBOL(rvsdg_cos),
    MATH_SYMBOL(rvsdg_tan),   MATH_SYMBOL(rvsdg_asin),  MATH_SYMBOL(rvsdg_acos),  MATH_SYMBOL(rvsdg_atan),
    MATH_SYMBOL(rvsdg_atan2), MATH_SYMBOL(rvsdg_sinh),  MATH_SYMBOL(rvsdg_cosh),  MATH_SYMBOL(rvsdg_tanh),
    MATH_SYMBOL(rvsdg_asinh), MATH_SYMBOL(rvsdg_acosh), MATH_SYMBOL(rvsdg_atanh), MATH_SYMBOL(rvsdg_cbrt),
    MATH_SYMBOL(rvsdg_pow),   MATH_SYMBOL(rvsdg_hypot),
};

#define MATH_SYMBOL_COUNT (sizeof math_symbols / sizeof math_symbols[0])

LLVMErrorRef rvsdg_define_math_symbols(LLVMOrcLLJITRef jit) {
  LLVMJITCSymbolMapPair pairs[MATH_SYMBOL_COUNT];
  for (size_t i = 0; i < MATH_SYMBOL_COUNT; i++) {
    pairs[i].Name = LLVMOrcLLJITMangleAndIntern(jit, math_symbols[i].name);
    pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)math_symbols[i].address;
    pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable;
    pairs[i].Sym.Flags.TargetFlags = 0;
  }
  LLVMOrcMaterializationUnitRef unit = LLVMOrcAbsoluteSymbols(pairs, MATH_SYMBOL_COUNT);
  LLVMErrorRef err = LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(jit), unit);
  if (err != NULL) LLVMOrcDisposeMaterializationUnit(unit);
  return err;
}

// The lowerings declare these functions by name only; telling LLVM that they
// neither touch memory nor unwind lets it keep loads, hoist invariant calls
// and vectorize around them as it does for its own math intrinsics.
void rvsdg_mark_math_functions(LLVMModuleRef module) {
  static const char *const attributes[] = {"readnone", "nounwind", "willreturn", "nosync", "nofree"};
  LLVMContextRef context = LLVMGetModuleContext(module);
  for (size_t i = 0; i < MATH_SYMBOL_COUNT; i++) {
    LLVMValueRef fn = LLVMGetNamedFunction(module, math_symbols[i].name);
    if (fn == NULL || !LLVMIsDeclaration(fn)) continue;
    for (size_t a = 0; a < sizeof attributes / sizeof attributes[0]; a++) {
      unsigned kind = LLVMGetEnumAttributeKindForName(attributes[a], strlen(attributes[a]));
      LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(context, kind, 0));
    }
  }
}

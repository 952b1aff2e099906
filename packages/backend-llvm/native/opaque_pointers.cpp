// LLVM 14 parses the `ptr` type only in contexts switched to opaque pointers,
// and the C API has no call for that switch. The global `-opaque-pointers`
// option would also turn every typed-pointer module (what llvm-bindings
// prints) into opaque form, so the switch is made per context instead.
#include <llvm/IR/LLVMContext.h>

extern "C" void rvsdg_enable_opaque_pointers(LLVMContextRef context) {
  llvm::unwrap(context)->enableOpaquePointers();
}

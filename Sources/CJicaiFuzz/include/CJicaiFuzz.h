#ifndef CJICAIFUZZ_H
#define CJICAIFUZZ_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt), linked in by `-sanitize=fuzzer`. The fuzz binary's entry point calls it with
/// the target's callback: SwiftPM names an executable's entry point `<module>_main`, so libFuzzer's own `main` is
/// not used.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

// Declarations only (include/CJicaiFuzz.h); SwiftPM needs one source file in a C target.
#include "CJicaiFuzz.h"

int cjicaifuzz_present(void) { return 1; }

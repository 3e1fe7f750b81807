#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer (its LLVMFuzzerRunDriver, linked by -sanitize=fuzzer) with the process's
/// arguments and `callback` as the target: SwiftPM names an executable's entry point itself,
/// so the target's main.swift calls this instead of letting libFuzzer's main run.
int trellis_fuzz_main(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));

#endif

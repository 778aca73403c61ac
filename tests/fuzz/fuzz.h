/*
 * NAME
 *	fuzz - what the fuzz targets share (tests/fuzz/)
 * DESCRIPTION
 *	Each target is FUZZ_TARGET(name) { ... }: a function
 *	fuzz_<name>(data, size) that feeds hostile bytes to one decoder or
 *	parser and returns 0. Built by scripts/fuzz with -DFUZZ_LIBFUZZER,
 *	it is also the binary's LLVMFuzzerTestOneInput (clang's libFuzzer,
 *	with AddressSanitizer and UBSan); built by `make check` without it,
 *	tests/check_fuzz_corpus replays every file of tests/fuzz/corpus/NAME
 *	and tests/fuzz/crashes/NAME through it, so a past crash stays a
 *	regression test. A target must never abort on bad input: decoders
 *	refuse it with an error, and that is all.
 */
#ifndef VIGIL_FUZZ_H
#define VIGIL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_LIBFUZZER
#define FUZZ_TARGET(name) \
	int fuzz_##name(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
	{ \
		return fuzz_##name(data, size); \
	} \
	int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name) \
	int fuzz_##name(const uint8_t *data, size_t size); \
	int fuzz_##name(const uint8_t *data, size_t size)
#endif

/* data as a NUL-terminated string (caller frees). */
char *fuzz_text(const uint8_t *data, size_t size);

#endif

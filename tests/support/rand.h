/* Random numbers for the C tests: a fixed-seed xorshift64 (the same sequence every run) and
 * values of a random bit length, for varints of every size. */
#ifndef P2F_TESTS_RAND_H_
#define P2F_TESTS_RAND_H_

#include <stdint.h>

static uint64_t test_rng = 0x243f6a8885a308d3u;

static inline uint64_t next_rand(void) {
  test_rng ^= test_rng << 13;
  test_rng ^= test_rng >> 7;
  test_rng ^= test_rng << 17;
  return test_rng;
}

/* A value of a random bit length, 0 to 64 bits, each length equally likely. */
static inline uint64_t rand_bits_value(void) {
  unsigned bits = (unsigned)(next_rand() % 65);
  return bits == 64 ? next_rand() : next_rand() & ((1ull << bits) - 1);
}

#endif /* P2F_TESTS_RAND_H_ */

/* p2f_wire_read_varint (its word-at-a-time path with 10 or more bytes left, and its byte loop
 * near the end of the input) against a byte-by-byte reference: every varint length, every
 * input length around it, random continuation patterns, overlong and truncated inputs. */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "proto2ffi/wire.h"

static p2f_status reference(const uint8_t *s, size_t len, uint64_t *out, size_t *used) {
  uint64_t v = 0;
  for (size_t i = 0; i < 10; i++) {
    if (i >= len) return P2F_ERR_TRUNCATED;
    v |= (uint64_t)(s[i] & 0x7f) << (7 * i);
    if (s[i] < 0x80) {
      *out = v;
      *used = i + 1;
      return P2F_OK;
    }
  }
  return P2F_ERR_VARINT_OVERFLOW;
}

static uint64_t rng = 88172645463325252u;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

int main(void) {
  long mismatches = 0, cases = 0;
  for (int round = 0; round < 2000000; round++) {
    uint8_t buf[16];
    /* A varint of `n` bytes (continuation bits on the first n-1), random payload bits, then
     * random bytes; the input is cut at a random length. */
    size_t n = 1 + (size_t)(next() % 11);
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)next();
    for (size_t i = 0; i < n && i < sizeof buf; i++) {
      buf[i] = i + 1 < n ? (uint8_t)(buf[i] | 0x80) : (uint8_t)(buf[i] & 0x7f);
    }
    size_t len = (size_t)(next() % (sizeof buf + 1));
    uint64_t want = 0, got = 0;
    size_t used = 0;
    p2f_status ws = reference(buf, len, &want, &used);
    const uint8_t *p = buf;
    p2f_status gs = p2f_wire_read_varint(&p, buf + len, &got);
    int same = ws == gs && (ws != P2F_OK || (want == got && (size_t)(p - buf) == used)) && (ws == P2F_OK || p == buf);
    if (!same && mismatches++ < 10) {
      fprintf(stderr, "varint of %zu bytes in %zu: status %d/%d value %llx/%llx\n", n, len, (int)gs, (int)ws,
              (unsigned long long)got, (unsigned long long)want);
    }
    cases++;
  }
  CHECK(mismatches == 0);
  /* The largest values and the 10th byte's extra bits. */
  const uint8_t max[12] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0};
  const uint8_t *p = max;
  uint64_t v = 0;
  CHECK(p2f_wire_read_varint(&p, max + sizeof max, &v) == P2F_OK && v == UINT64_MAX && p == max + 10);
  const uint8_t eleven[12] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0};
  p = eleven;
  CHECK(p2f_wire_read_varint(&p, eleven + sizeof eleven, &v) == P2F_ERR_VARINT_OVERFLOW && p == eleven);
  printf("%ld inputs, %ld mismatches\n", cases, mismatches);
  return CHECK_REPORT();
}

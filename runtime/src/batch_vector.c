/* The baseline vector level of the column kernels: batch_kernels.inc compiled with the
 * vectoriser on for the ISA every CPU of the target has (SSE2 on x86-64, NEON on arm64). */
#include "internal/port.h"

#define KVEC (P2F__GNUC)
#define KVW 16
#define KLEVEL vector
#define KATTR
#define KTABLE p2f__batch_ops_vector
#include "batch_level.inc"

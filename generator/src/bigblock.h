/* Large zeroed blocks for the arena and for output buffers. On Linux they are mapped
 * 2 MiB-aligned and advised for transparent huge pages (used when the system's THP mode is
 * "madvise" or "always"): one page fault per 2 MiB instead of one per 4 KiB. Elsewhere, and
 * when mapping fails, they are calloc blocks.
 *
 * Kept because it measurably matters. The plugin on bench/gen's 1,000-message request, this
 * code built with and without the mapping, on a shared 2-core x86-64 VM with THP "madvise":
 * 925 instead of 16,960 minor page faults; gen_bench --quick, 5 runs of each alternating:
 * 125.4 ms median / 116.8 ms best run with it, 142.7 / 138.0 ms without; 31 interleaved
 * process runs: 133.4 ms median / 119.3 ms minimum with it, 153.2 / 144.1 ms without.
 */
#ifndef P2F_GEN_BIGBLOCK_H_
#define P2F_GEN_BIGBLOCK_H_

#include <stddef.h>

/* Blocks of at least this many bytes are worth gen_bigblock_alloc. */
enum { GEN_BIGBLOCK_MIN = 2 * 1024 * 1024 };

/* Returns zeroed memory of at least *size bytes (*size is rounded up to what was obtained)
 * and sets *mapped to the value gen_bigblock_free needs; NULL when out of memory. */
void *gen_bigblock_alloc(size_t *size, size_t *mapped);
void gen_bigblock_free(void *p, size_t mapped);

#endif /* P2F_GEN_BIGBLOCK_H_ */

/* telemetry_pipeline.c: a batch pipeline over sensor frames generated from telemetry.proto.
 *
 *   1. source data: N_FRAMES frames of float samples from a fixed pseudo-random sequence,
 *      kept in plain C arrays;
 *   2. encode: each frame is copied into a telemetry_Frame and encoded, one after another,
 *      into a single buffer as a length-delimited stream (varint length, then the message);
 *   3. decode: the stream is read back, every frame decoded into a slot of a typed pool, all
 *      of them held at once;
 *   4. aggregate: min, max, mean and sample count per sensor over the decoded frames;
 *   5. check: the aggregates equal those computed from the source arrays of step 1, and
 *      sequences, timestamps and device names came through unchanged.
 *
 * Exits with 1 on any mismatch, printing what differed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto2ffi/wire.h"
#include "telemetry.ffi.h"

#define N_FRAMES 4000
#define N_SENSORS 12 /* sensor ids 1..N_SENSORS */
#define READINGS telemetry_Frame_readings_MAX_COUNT
#define SAMPLES telemetry_Reading_samples_MAX_COUNT

/* ---- source data -------------------------------------------------------------------------- */

typedef struct {
  uint32_t reading_count;
  uint32_t sensor_id[READINGS];
  uint32_t sample_count[READINGS];
  float samples[READINGS][SAMPLES];
  uint64_t timestamp_ns;
} source_frame;

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1Du) >> 32);
}

static void make_source(source_frame *src) {
  uint64_t t = 1700000000000000000u;
  for (uint32_t f = 0; f < N_FRAMES; f++) {
    source_frame *s = &src[f];
    t += 1000000u + next_random() % 5000u; /* about 1 ms apart */
    s->timestamp_ns = t;
    s->reading_count = 1 + next_random() % READINGS;
    for (uint32_t r = 0; r < s->reading_count; r++) {
      s->sensor_id[r] = 1 + (f + r * 5) % N_SENSORS;
      s->sample_count[r] = 1 + next_random() % SAMPLES;
      for (uint32_t k = 0; k < s->sample_count[r]; k++) {
        /* around 20 * id, spread +-8, so each sensor has its own range */
        s->samples[r][k] = (float)(20.0 * s->sensor_id[r]) + (float)((int32_t)(next_random() % 16001u) - 8000) / 1000.0f;
      }
    }
  }
}

static int32_t kind_of(uint32_t sensor_id) {
  return (int32_t)(1 + sensor_id % 3); /* TEMPERATURE, PRESSURE, VIBRATION */
}

/* ---- aggregates --------------------------------------------------------------------------- */

typedef struct {
  uint64_t count;
  float min, max;
  double sum;
} aggregate;

static void add_sample(aggregate *a, float v) {
  if (a->count == 0 || v < a->min) a->min = v;
  if (a->count == 0 || v > a->max) a->max = v;
  a->sum += v;
  a->count++;
}

/* ---- the pipeline ------------------------------------------------------------------------- */

/* Wall-clock seconds: C11's timespec_get where the C library has it (TIME_UTC defined); else
 * (MinGW-w64 on msvcrt) clock(), which the Windows C library counts in wall-clock time. */
static double now_seconds(void) {
#if defined(TIME_UTC)
  struct timespec t;
  timespec_get(&t, TIME_UTC);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
#else
  return (double)clock() / CLOCKS_PER_SEC;
#endif
}

static double seconds_since(const double *t0) { return now_seconds() - *t0; }

static int failures;
static void mismatch(const char *what, uint32_t id, double got, double want) {
  fprintf(stderr, "mismatch: %s of sensor %u: decoded %.9g, source %.9g\n", what, id, got, want);
  failures++;
}

int main(void) {
  static source_frame src[N_FRAMES];
  make_source(src);

  /* Encode every frame into one length-delimited stream. */
  size_t cap = (size_t)N_FRAMES * (telemetry_Frame_MAX_ENCODED_SIZE + 10);
  uint8_t *stream = malloc(cap);
  telemetry_Frame *frame = malloc(sizeof *frame);
  if (stream == NULL || frame == NULL) return 1;
  double t0 = now_seconds();
  size_t used = 0;
  for (uint32_t f = 0; f < N_FRAMES; f++) {
    telemetry_Frame_init(frame);
    frame->sequence = f;
    frame->timestamp_ns = src[f].timestamp_ns;
    frame->device_len = (uint32_t)snprintf(frame->device, sizeof frame->device, "rig-%02u", f % 7);
    frame->readings_count = src[f].reading_count;
    for (uint32_t r = 0; r < src[f].reading_count; r++) {
      telemetry_Reading *rd = &frame->readings[r];
      rd->sensor_id = src[f].sensor_id[r];
      rd->kind = kind_of(rd->sensor_id);
      rd->samples_count = src[f].sample_count[r];
      memcpy(rd->samples, src[f].samples[r], rd->samples_count * sizeof(float));
    }
    size_t n = telemetry_Frame_encoded_size(frame);
    uint8_t *q = stream + used;
    if (p2f_wire_write_varint(&q, stream + cap, n) != P2F_OK) return 1;
    used = (size_t)(q - stream);
    size_t written = 0;
    p2f_status st = telemetry_Frame_encode(frame, stream + used, cap - used, &written);
    if (st != P2F_OK || written != n) {
      fprintf(stderr, "frame %u: encode: %s (%zu of %zu bytes)\n", f, p2f_status_str(st), written, n);
      return 1;
    }
    used += written;
  }
  double encode_s = seconds_since(&t0);

  /* Decode the whole stream into pooled frames, all alive at once. */
  p2f_pool *pool = telemetry_Frame_pool_create(256);
  static telemetry_Frame *decoded[N_FRAMES];
  if (pool == NULL) return 1;
  t0 = now_seconds();
  const uint8_t *p = stream, *end = stream + used;
  uint32_t count = 0;
  while (p < end) {
    uint64_t len = 0;
    if (p2f_wire_read_varint(&p, end, &len) != P2F_OK || len > (uint64_t)(end - p) || count == N_FRAMES) {
      fprintf(stderr, "frame %u: bad length prefix\n", count);
      return 1;
    }
    telemetry_Frame *fr = telemetry_Frame_pool_alloc(pool);
    if (fr == NULL) return 1;
    p2f_status st = telemetry_Frame_decode(fr, p, (size_t)len);
    if (st != P2F_OK) {
      fprintf(stderr, "frame %u: decode: %s\n", count, p2f_status_str(st));
      return 1;
    }
    decoded[count++] = fr;
    p += len;
  }
  double decode_s = seconds_since(&t0);
  if (count != N_FRAMES) {
    fprintf(stderr, "decoded %u frames, encoded %u\n", count, N_FRAMES);
    return 1;
  }

  /* Aggregate the decoded frames. */
  aggregate got[N_SENSORS + 1], want[N_SENSORS + 1];
  memset(got, 0, sizeof got);
  memset(want, 0, sizeof want);
  for (uint32_t f = 0; f < count; f++) {
    const telemetry_Frame *fr = decoded[f];
    char device[16];
    snprintf(device, sizeof device, "rig-%02u", f % 7);
    if (fr->sequence != f || fr->timestamp_ns != src[f].timestamp_ns || strcmp(fr->device, device) != 0 ||
        (f > 0 && fr->timestamp_ns <= decoded[f - 1]->timestamp_ns)) {
      fprintf(stderr, "frame %u: header differs (sequence %llu, device %s)\n", f,
              (unsigned long long)fr->sequence, fr->device);
      failures++;
    }
    for (uint32_t r = 0; r < fr->readings_count; r++) {
      const telemetry_Reading *rd = &fr->readings[r];
      if (rd->sensor_id == 0 || rd->sensor_id > N_SENSORS || rd->kind != kind_of(rd->sensor_id)) {
        fprintf(stderr, "frame %u reading %u: sensor %u kind %d\n", f, r, rd->sensor_id, (int)rd->kind);
        return 1;
      }
      for (uint32_t k = 0; k < rd->samples_count; k++) add_sample(&got[rd->sensor_id], rd->samples[k]);
    }
  }
  /* The same aggregates straight from the source arrays. */
  for (uint32_t f = 0; f < N_FRAMES; f++) {
    for (uint32_t r = 0; r < src[f].reading_count; r++) {
      for (uint32_t k = 0; k < src[f].sample_count[r]; k++) add_sample(&want[src[f].sensor_id[r]], src[f].samples[r][k]);
    }
  }

  printf("%u frames, %zu bytes encoded (%.1f bytes/frame); encode %.1f ms, decode into pool %.1f ms\n",
         count, used, (double)used / count, encode_s * 1e3, decode_s * 1e3);
  printf("sensor  kind         samples        min        max       mean\n");
  for (uint32_t id = 1; id <= N_SENSORS; id++) {
    const aggregate *g = &got[id], *w = &want[id];
    double mean = g->count ? g->sum / (double)g->count : 0.0;
    double want_mean = w->count ? w->sum / (double)w->count : 0.0;
    const char *kind = telemetry_SensorKind_name(kind_of(id));
    printf("%6u  %-11s %8llu %10.3f %10.3f %10.4f\n", id, kind ? kind + 12 : "?",
           (unsigned long long)g->count, (double)g->min, (double)g->max, mean);
    if (g->count != w->count) mismatch("sample count", id, (double)g->count, (double)w->count);
    if (g->min != w->min) mismatch("min", id, (double)g->min, (double)w->min);
    if (g->max != w->max) mismatch("max", id, (double)g->max, (double)w->max);
    if (fabs(mean - want_mean) > 1e-9 * fabs(want_mean)) mismatch("mean", id, mean, want_mean);
    /* Samples were drawn from 20 * id +- 8: a sanity check on the source itself. */
    if (w->count == 0 || w->min < 20.0f * (float)id - 8.001f || w->max > 20.0f * (float)id + 8.001f) {
      mismatch("range", id, (double)w->min, 20.0 * id);
    }
  }

  p2f_pool_stats stats;
  p2f_pool_get_stats(pool, &stats);
  telemetry_Frame_pool_destroy(pool);
  free(frame);
  free(stream);
  if (failures) {
    fprintf(stderr, "telemetry: %d mismatches\n", failures);
    return 1;
  }
  printf("telemetry: aggregates of %u sensors match the source data\n", N_SENSORS);
  return 0;
}

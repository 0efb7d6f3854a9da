/* The image-processing example: frames from the schema's pool (imaging.proto: pool_size 4,
 * pool_max 16), each holding 8-bit RGB pixels (a bytes field) and a float luma plane (a
 * repeated field), processed with the generated batch kernels and checked against an
 * independent scalar computation of the same results.
 *
 *   grayscale   luma[i] = (0.299 r + 0.587 g + 0.114 b) / 255 per pixel, written by a plain
 *               loop (the kernels are reductions and scale; there is no per-pixel mix kernel),
 *               and its channel weights checked with the Pixel column kernels: the mean of
 *               each channel over the frame's pixels, through imaging_Pixel_r_mean (etc.),
 *               weighted, must equal the mean luma that imaging_Frame_luma_mean returns;
 *   statistics  mean, min and max luma (imaging_Frame_luma_mean/min/max);
 *   brightness  luma scaled by 1.25 in place (imaging_Frame_luma_scale) and the statistics
 *               again;
 *   threshold   how many pixels are brighter than 0.5 (imaging_Pixel_g_count_above over the
 *               green channel).
 * Every figure is compared with a loop written here, in double precision; the program exits
 * 1 at the first difference beyond rounding. It prints which dispatch level ran.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "imaging.ffi.h"

static int failures;

static void expect_close(const char *what, double got, double want) {
  double tol = 1e-6 * (fabs(want) + 1.0);
  if (!(fabs(got - want) <= tol)) {
    fprintf(stderr, "imaging: %s: kernel %.9g, scalar %.9g\n", what, got, want);
    failures++;
  }
}

/* A test card: a horizontal gradient in red, a vertical one in green, a checkerboard in blue. */
static void paint(imaging_Frame *f, uint32_t w, uint32_t h, uint64_t seq) {
  f->width = w;
  f->height = h;
  f->sequence = seq;
  f->rgb_len = w * h * 3;
  for (uint32_t y = 0; y < h; y++) {
    for (uint32_t x = 0; x < w; x++) {
      uint8_t *p = &f->rgb[(y * w + x) * 3];
      p[0] = (uint8_t)(x * 255 / (w - 1));
      p[1] = (uint8_t)((y * 255 / (h - 1) + seq * 17) % 256);
      p[2] = ((x / 16 + y / 16) % 2) ? 255 : 0;
    }
  }
}

static void grayscale(imaging_Frame *f, imaging_Pixel *pixels) {
  uint32_t n = f->width * f->height;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *p = &f->rgb[i * 3];
    pixels[i].r = p[0] / 255.0f;
    pixels[i].g = p[1] / 255.0f;
    pixels[i].b = p[2] / 255.0f;
    f->luma[i] = 0.299f * pixels[i].r + 0.587f * pixels[i].g + 0.114f * pixels[i].b;
  }
  f->luma_count = n;
}

static void check_stats(const char *stage, const imaging_Frame *f) {
  double sum = 0, mn = INFINITY, mx = -INFINITY;
  for (uint32_t i = 0; i < f->luma_count; i++) {
    sum += f->luma[i];
    mn = f->luma[i] < mn ? f->luma[i] : mn;
    mx = f->luma[i] > mx ? f->luma[i] : mx;
  }
  float kmin = 0, kmax = 0;
  size_t took = imaging_Frame_luma_min(f, &kmin);
  took += imaging_Frame_luma_max(f, &kmax);
  double mean = imaging_Frame_luma_mean(f);
  char what[64];
  snprintf(what, sizeof what, "%s mean", stage);
  expect_close(what, mean, sum / f->luma_count);
  snprintf(what, sizeof what, "%s min", stage);
  expect_close(what, kmin, mn);
  snprintf(what, sizeof what, "%s max", stage);
  expect_close(what, kmax, mx);
  if (took != 2u * f->luma_count) failures++;
  printf("  %-10s mean %.4f  min %.4f  max %.4f\n", stage, mean, kmin, kmax);
}

int main(void) {
  p2f_pool *pool = imaging_Frame_pool_create_default();
  imaging_Pixel *pixels = calloc(imaging_Frame_luma_MAX_COUNT, sizeof *pixels);
  if (pool == NULL || pixels == NULL) return 1;
  printf("imaging: frames from a pool of %d (at most %d); kernels at level %s\n", imaging_Frame_POOL_SIZE,
         imaging_Frame_POOL_MAX, p2f_batch_level_name(p2f_batch_current_level()));
  imaging_Frame *frames[3];
  const uint32_t sizes[3][2] = {{256, 256}, {160, 120}, {33, 7}};
  for (int k = 0; k < 3; k++) {
    imaging_Frame *f = frames[k] = imaging_Frame_pool_alloc(pool);
    if (f == NULL) return 1;
    paint(f, sizes[k][0], sizes[k][1], (uint64_t)k);
    printf("frame %llu: %ux%u\n", (unsigned long long)f->sequence, f->width, f->height);
    grayscale(f, pixels);
    size_t n = f->luma_count;
    /* The channel means through the Pixel columns, weighted, give the mean luma. */
    double r = imaging_Pixel_r_mean(pixels, n), g = imaging_Pixel_g_mean(pixels, n), b = imaging_Pixel_b_mean(pixels, n);
    double rs = 0, gs = 0, bs = 0;
    size_t bright = 0;
    for (size_t i = 0; i < n; i++) {
      rs += pixels[i].r, gs += pixels[i].g, bs += pixels[i].b;
      bright += pixels[i].g > 0.5f;
    }
    expect_close("red mean", r, rs / (double)n);
    expect_close("green mean", g, gs / (double)n);
    expect_close("blue mean", b, bs / (double)n);
    expect_close("weighted channel means", 0.299 * r + 0.587 * g + 0.114 * b, imaging_Frame_luma_mean(f));
    size_t kbright = imaging_Pixel_g_count_above(pixels, n, 0.5f);
    if (kbright != bright) {
      fprintf(stderr, "imaging: green above 0.5: kernel %zu, scalar %zu\n", kbright, bright);
      failures++;
    }
    printf("  channels   r %.4f  g %.4f  b %.4f; %zu of %zu pixels with green > 0.5\n", r, g, b, kbright, n);
    check_stats("grayscale", f);
    /* Brightness: every luma value times 1.25, in place, then the same checks. */
    float before = f->luma[n / 2];
    imaging_Frame_luma_scale(f, 1.25f);
    expect_close("scaled pixel", f->luma[n / 2], (double)(before * 1.25f));
    check_stats("brighter", f);
  }
  /* The pool's maximum: 16 frames, then NULL. */
  int extra = 0;
  while (imaging_Frame_pool_alloc(pool) != NULL) extra++;
  if (extra != imaging_Frame_POOL_MAX - 3) failures++;
  printf("pool: %d more frames allocated up to its maximum of %d\n", extra, imaging_Frame_POOL_MAX);
  imaging_Frame_pool_destroy(pool);
  free(pixels);
  printf(failures ? "imaging: %d differences\n" : "imaging: every kernel result matches the scalar computation\n",
         failures);
  return failures != 0;
}

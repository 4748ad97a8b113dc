/*
 * ggml_ref: asks llama.cpp's own libggml-base for the answers Vireo's quantization fixtures record.
 * Compiled against llama.cpp's ggml.h and linked with libggml-base by regenerate.sh; it calls only
 * exported ggml functions, so every number it writes is computed by ggml, not by this file.
 *
 *   ggml_ref dequant  TYPE_ID IN.bin OUT.f32 N          ggml type traits to_float over N elements
 *   ggml_ref quantize TYPE_ID IN.f32 OUT.bin ROWS COLS  ggml_quantize_chunk (what llama-quantize calls)
 *   ggml_ref conversions OUT.txt                        fingerprints of ggml's scalar conversions
 *   ggml_ref traits                                     "ggml_type ID NAME BLOCK_SIZE TYPE_SIZE" lines
 *
 * "conversions" writes, one record per line:
 *   fp16 CHUNK HASH   FNV-1a 64 of ggml_fp32_to_fp16_row over the 2^24 float bit patterns
 *                     CHUNK<<24 .. CHUNK<<24 | 0xFFFFFF, each output as 2 little-endian bytes
 *   bf16 CHUNK HASH   the same for ggml_fp32_to_bf16_row_ref
 *   half2float HASH   FNV-1a 64 of ggml_fp16_to_fp32_row over all 65536 halves (4 bytes LE each)
 *   log2 E BITS       for the binade [2^E, 2^(E+1)): the bit pattern of the smallest float x in it with
 *                     floorf(log2f(x)) == E+1 (libm's log2f rounds up to the next integer there), or
 *                     "none"; every other float of the binade gives E. Checked exhaustively here.
 * MXFP4's reference quantizer picks its exponent as floorf(log2f(amax)), so these thresholds are the
 * exact behaviour Vireo must reproduce.
 */
#include "ggml.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char * msg, const char * arg) {
    fprintf(stderr, "ggml_ref: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void * read_file(const char * path, size_t expect) {
    FILE * f = fopen(path, "rb");
    if (!f) die("cannot open", path);
    void * buf = malloc(expect ? expect : 1);
    if (fread(buf, 1, expect, f) != expect) die("short read", path);
    if (fgetc(f) != EOF) die("file longer than expected", path);
    fclose(f);
    return buf;
}

static void write_file(const char * path, const void * buf, size_t n) {
    FILE * f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) die("cannot write", path);
}

static const struct ggml_type_traits * traits(const char * id_arg) {
    int id = atoi(id_arg);
    if (id < 0 || id >= GGML_TYPE_COUNT) die("bad type id", id_arg);
    return ggml_get_type_traits((enum ggml_type) id);
}

static int dequant(char ** argv) {
    const struct ggml_type_traits * t = traits(argv[0]);
    int64_t n = atoll(argv[3]);
    if (n <= 0 || n % t->blck_size != 0) die("element count is not whole blocks", argv[3]);
    if (!t->to_float) die("type has no to_float", t->type_name);
    size_t in_bytes = (size_t) (n / t->blck_size) * t->type_size;
    void * in = read_file(argv[1], in_bytes);
    float * out = malloc((size_t) n * sizeof(float));
    t->to_float(in, out, n);
    write_file(argv[2], out, (size_t) n * sizeof(float));
    free(in);
    free(out);
    return 0;
}

static int quantize(char ** argv) {
    int id = atoi(argv[0]);
    const struct ggml_type_traits * t = traits(argv[0]);
    int64_t rows = atoll(argv[3]), cols = atoll(argv[4]);
    if (rows <= 0 || cols <= 0 || cols % t->blck_size != 0) die("bad shape for type", t->type_name);
    float * in = read_file(argv[1], (size_t) (rows * cols) * sizeof(float));
    size_t out_bytes = (size_t) rows * ggml_row_size((enum ggml_type) id, cols);
    void * out = calloc(out_bytes, 1);
    size_t n = ggml_quantize_chunk((enum ggml_type) id, in, out, 0, rows, cols, NULL);
    if (n != out_bytes) die("unexpected quantized size", t->type_name);
    write_file(argv[2], out, out_bytes);
    free(in);
    free(out);
    return 0;
}

static uint64_t fnv(uint64_t h, const uint8_t * p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define CHUNK ((size_t) 1 << 24)

static int conversions(char ** argv) {
    FILE * out = fopen(argv[0], "w");
    if (!out) die("cannot write", argv[0]);
    uint32_t * bits = malloc(CHUNK * sizeof(uint32_t));
    uint16_t * half = malloc(CHUNK * sizeof(uint16_t));
    for (int kind = 0; kind < 2; kind++) {
        for (uint32_t c = 0; c < 256; c++) {
            for (size_t i = 0; i < CHUNK; i++) {
                bits[i] = (c << 24) | (uint32_t) i;
            }
            if (kind == 0) {
                ggml_fp32_to_fp16_row((const float *) bits, half, (int64_t) CHUNK);
            } else {
                ggml_fp32_to_bf16_row_ref((const float *) bits, (ggml_bf16_t *) half, (int64_t) CHUNK);
            }
            uint64_t h = FNV_OFFSET;
            for (size_t i = 0; i < CHUNK; i++) {
                uint8_t le[2] = { (uint8_t) half[i], (uint8_t) (half[i] >> 8) };
                h = fnv(h, le, 2);
            }
            fprintf(out, "%s %u %016llx\n", kind == 0 ? "fp16" : "bf16", c, (unsigned long long) h);
        }
    }

    ggml_fp16_t all[65536];
    float wide[65536];
    for (uint32_t i = 0; i < 65536; i++) {
        all[i] = (ggml_fp16_t) i;
    }
    ggml_fp16_to_fp32_row(all, wide, 65536);
    uint64_t h = FNV_OFFSET;
    for (uint32_t i = 0; i < 65536; i++) {
        uint32_t w;
        memcpy(&w, &wide[i], 4);
        uint8_t le[4] = { (uint8_t) w, (uint8_t) (w >> 8), (uint8_t) (w >> 16), (uint8_t) (w >> 24) };
        h = fnv(h, le, 4);
    }
    fprintf(out, "half2float %016llx\n", (unsigned long long) h);

    // Every positive finite float, binade by binade: floorf(log2f(x)) must be E below a threshold
    // and E+1 from it to the end of the binade; anything else stops the run.
    for (int e = -149; e <= 127; e++) {
        uint32_t lo, hi; // [lo, hi) bit patterns of the binade
        if (e < -126) {
            lo = UINT32_C(1) << (e + 149);
            hi = lo << 1;
        } else {
            lo = (uint32_t) (e + 127) << 23;
            hi = lo + (UINT32_C(1) << 23);
        }
        uint32_t threshold = 0;
        for (uint32_t b = lo; b < hi; b++) {
            float x;
            memcpy(&x, &b, 4);
            float fl = floorf(log2f(x));
            if (fl == (float) (e + 1)) {
                if (!threshold) threshold = b;
            } else if (fl != (float) e || threshold) {
                fprintf(stderr, "ggml_ref: log2f not monotone at %08x (%a -> %g)\n", b, x, fl);
                return 1;
            }
        }
        if (threshold) {
            fprintf(out, "log2 %d %08x\n", e, threshold);
        } else {
            fprintf(out, "log2 %d none\n", e);
        }
    }
    free(bits);
    free(half);
    if (fclose(out) != 0) die("cannot write", argv[0]);
    return 0;
}

static int list_traits(void) {
    for (int id = 0; id < GGML_TYPE_COUNT; id++) {
        const struct ggml_type_traits * t = ggml_get_type_traits((enum ggml_type) id);
        if (t->type_name && t->blck_size > 0 && t->type_size > 0) {
            printf("ggml_type %d %s %lld %zu\n", id, t->type_name, (long long) t->blck_size, t->type_size);
        }
    }
    return 0;
}

int main(int argc, char ** argv) {
    if (argc == 6 && strcmp(argv[1], "dequant") == 0) return dequant(argv + 2);
    if (argc == 7 && strcmp(argv[1], "quantize") == 0) return quantize(argv + 2);
    if (argc == 3 && strcmp(argv[1], "conversions") == 0) return conversions(argv + 2);
    if (argc == 2 && strcmp(argv[1], "traits") == 0) return list_traits();
    fprintf(stderr, "usage: ggml_ref dequant TYPE_ID IN OUT N | quantize TYPE_ID IN OUT ROWS COLS"
                    " | conversions OUT | traits\n");
    return 2;
}

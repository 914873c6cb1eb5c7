/*
 * The C reference for the engine benchmark (docs/performance.md): the
 * workloads of shared/bench/WORKLOADS.md done as directly as C allows, to
 * calibrate "3 x C" on the machine at hand. Tables are allocated one after
 * another in one array (a descriptor's PA becomes an index by subtraction);
 * each query's walk is a loop of dependent loads. Its checksums equal the
 * workload file's, so it does the same work as `npm run bench`.
 *
 *   npm run -s bench:c            (cc -O2, then W1, W2, W3, W3lean)
 *
 * One JSON line per workload, as `npm run bench` prints, with CPU time
 * (CLOCK_PROCESS_CPUTIME_ID) per query: the median of three runs.
 * W3 is the engine's design (1024 sets x 4 ways, a hashed set index, a
 * VMID/ASID tag, a hit counter per entry); W3lean is the least a 4-way TLB
 * can do (the page number's low bits as the set, no tag, no counters).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 65536
#define M (1u << 22)
#define RUNS 3
#define TWO_40 (1ull << 40)
#define OA_MASK 0x0000fffffffff000ull

static uint32_t lowbias32(uint32_t x) {
  x ^= x >> 16; x *= 0x7feb352du; x ^= x >> 15; x *= 0x846ca68bu; x ^= x >> 16;
  return x;
}

static double cpu_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static inline uint32_t mix(uint32_t h, uint64_t pa) {
  h = (h ^ (uint32_t)pa) * 0x9E3779B1u; h ^= h >> 15;
  h = (h ^ (uint32_t)(pa >> 32)) * 0x9E3779B1u; h ^= h >> 15;
  return h;
}

/* The table pool: 4KB tables one after another from POOL_BASE. */
static uint64_t *pool;
static size_t pages, capacity;
static const uint64_t POOL_BASE = 0x100000000ull;

static uint64_t alloc_table(void) {
  if (pages == capacity) {
    capacity = capacity ? capacity * 2 : 1024;
    pool = realloc(pool, capacity * 4096);
    if (!pool) { perror("realloc"); exit(1); }
  }
  memset(pool + pages * 512, 0, 4096);
  return POOL_BASE + (pages++) * 4096;
}

static inline uint64_t *desc(uint64_t pa) { return &pool[(pa - POOL_BASE) >> 3]; }

/* A 4KB, 48-bit, level-0 table: `attrs` on the leaf (AF, and S2AP for stage 2). */
static void map(uint64_t root, uint64_t in, uint64_t out, uint64_t attrs) {
  uint64_t t = root;
  for (int level = 0; level < 3; level++) {
    uint64_t *d = desc(t + ((in >> (39 - 9 * level)) & 511) * 8);
    if (!(*d & 1)) { uint64_t next = alloc_table(); d = desc(t + ((in >> (39 - 9 * level)) & 511) * 8); *d = next | 3; }
    t = *d & OA_MASK;
  }
  *desc(t + ((in >> 12) & 511) * 8) = out | 3 | attrs;
}

static inline int walk(uint64_t root, uint64_t in, uint64_t *out) {
  uint64_t t = root;
  for (int level = 0; level < 4; level++) {
    uint64_t d = *desc(t + ((in >> (39 - 9 * level)) & 511) * 8);
    if ((d & 3) != 3) return 0;
    t = d & OA_MASK;
  }
  *out = t | (in & 0xfff);
  return 1;
}

static uint64_t s1_root, s2_root, iova[N];

/* W2: stage-1 descriptors at PA = IPA + 2^40, which in this pool are the same words as at the IPA. */
static inline int walk_nested(uint64_t va, uint64_t *pa) {
  uint64_t t = s1_root;
  for (int level = 0; level < 4; level++) {
    uint64_t dpa;
    if (!walk(s2_root, t + ((va >> (39 - 9 * level)) & 511) * 8, &dpa)) return 0;
    uint64_t d = *desc(dpa - TWO_40);
    if ((d & 3) != 3) return 0;
    t = d & OA_MASK;
  }
  return walk(s2_root, t | (va & 0xfff), pa);
}

#define SETS 1024
static struct { uint64_t vpn; uint32_t tag, valid; uint64_t out; uint32_t hits; } tlb[SETS * 4];
static uint64_t lean_vpn[SETS * 4], lean_out[SETS * 4];

static inline unsigned set_of(uint64_t vpn) {
  uint32_t h = (uint32_t)vpn ^ ((uint32_t)(vpn >> 32) * 0x9e3779b1u) ^ 0x85ebca6bu;
  h ^= h >> 13;
  return ((h * 0xc2b2ae35u) >> 16) & (SETS - 1);
}

static int run(int which, uint32_t *checksum, uint32_t *faults) {
  uint32_t h = 0x811c9dc5u, f = 0;
  for (uint32_t j = 0; j < M; j++) {
    uint32_t k = lowbias32(j) & (which >= 3 ? 511 : N - 1);
    uint64_t va = iova[k] + ((j & 0x3ff) << 2), pa = 0;
    if (which == 1) { if (!walk(s1_root, va, &pa)) { f++; continue; } }
    else if (which == 2) { if (!walk_nested(va, &pa)) { f++; continue; } }
    else if (which == 3) {
      uint64_t vpn = va >> 12; unsigned s = set_of(vpn) * 4; int hit = 0;
      for (int w = 0; w < 4; w++) {
        if (tlb[s + w].valid && tlb[s + w].vpn == vpn && tlb[s + w].tag == 1) { tlb[s + w].hits++; pa = tlb[s + w].out | (va & 0xfff); hit = 1; break; }
      }
      if (!hit) {
        if (!walk(s1_root, va, &pa)) { f++; continue; }
        int w = 0; while (w < 4 && tlb[s + w].valid) w++; if (w == 4) w = 0;
        tlb[s + w].valid = 1; tlb[s + w].vpn = vpn; tlb[s + w].tag = 1; tlb[s + w].out = pa & ~0xfffull; tlb[s + w].hits = 0;
      }
    } else {
      uint64_t vpn = va >> 12; unsigned s = (vpn & (SETS - 1)) * 4;
      if (lean_vpn[s] == vpn) pa = lean_out[s];
      else if (lean_vpn[s + 1] == vpn) pa = lean_out[s + 1];
      else if (lean_vpn[s + 2] == vpn) pa = lean_out[s + 2];
      else if (lean_vpn[s + 3] == vpn) pa = lean_out[s + 3];
      else {
        if (!walk(s1_root, va, &pa)) { f++; continue; }
        unsigned w = 0; while (w < 4 && lean_vpn[s + w] != ~0ull) w++; w &= 3;
        lean_vpn[s + w] = vpn; lean_out[s + w] = pa & ~0xfffull;
      }
      pa = (pa & ~0xfffull) | (va & 0xfff);
    }
    h = mix(h, pa);
  }
  *checksum = h; *faults = f;
  return 0;
}

static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(void) {
  s1_root = alloc_table();
  for (uint32_t i = 0; i < N; i++) {
    uint64_t p = ((uint64_t)(i * 2654435761u)) & 0xffffff;
    iova[i] = 0x4000000000ull + p * 4096;
    map(s1_root, iova[i], 0x8000000000ull + (uint64_t)i * 4096, 1 << 10);
  }
  size_t s1_pages = pages;
  s2_root = alloc_table();
  for (size_t p = 0; p < s1_pages; p++) { uint64_t ipa = POOL_BASE + p * 4096; map(s2_root, ipa, ipa + TWO_40, (1 << 10) | (3 << 6)); }
  for (uint32_t i = 0; i < N; i++) { uint64_t oa = 0x8000000000ull + (uint64_t)i * 4096; map(s2_root, oa, oa + TWO_40, (1 << 10) | (3 << 6)); }
  for (int i = 0; i < SETS * 4; i++) lean_vpn[i] = ~0ull;
  const char *names[] = { "", "W1", "W2", "W3", "W3lean" };
  for (int which = 1; which <= 4; which++) {
    uint32_t checksum = 0, faults = 0;
    double ns[RUNS];
    run(which, &checksum, &faults); /* warm-up: fills the TLBs, brings the tables in */
    for (int r = 0; r < RUNS; r++) { double t0 = cpu_ns(); run(which, &checksum, &faults); ns[r] = (cpu_ns() - t0) / M; }
    qsort(ns, RUNS, sizeof ns[0], cmp);
    printf("{\"workload\":\"%s\",\"queries\":%u,\"ns_per_query\":%.2f,\"checksum\":\"0x%08x\",\"faults\":%u,\"clock\":\"cpu\",\"language\":\"C\"}\n", names[which], M, ns[RUNS / 2], checksum, faults);
  }
  return 0;
}

// What replacing files by rename costs on this file system, without liner: for files o0..oN-1 in the
// current folder, copy each beside itself (copy_file_range), then rename the copy over it; 64 files per
// group, one folder fsync per group. MODE bits: 1 copy in the kernel (else read + write), 2 start the
// write-back at once (sync_file_range), 4 fsync each copy before its rename (liner's safe default = 7).
//   cc -O2 rename_baseline.c -o rename_baseline && ./rename_baseline 1000 7
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  int n = atoi(argv[1]), mode = atoi(argv[2]), group = 64;
  int* tmp = calloc((size_t)n, sizeof(int));
  int* src = calloc((size_t)n, sizeof(int));
  double t0 = now();
  for (int g = 0; g < n; g += group) {
    int e = g + group < n ? g + group : n;
    for (int i = g; i < e; i++) {
      char p[64], q[64];
      snprintf(p, sizeof p, "o%d", i);
      snprintf(q, sizeof q, ".o%d.tmp", i);
      src[i] = open(p, O_RDONLY);
      flock(src[i], LOCK_EX);
      tmp[i] = open(q, O_WRONLY | O_CREAT | O_EXCL, 0644);
      off_t size = lseek(src[i], 0, SEEK_END);
      if (mode & 1) {
        loff_t a = 0, b = 0;
        copy_file_range(src[i], &a, tmp[i], &b, (size_t)size, 0);
      } else {
        char* buf = malloc((size_t)size);
        if (pread(src[i], buf, (size_t)size, 0) != size || pwrite(tmp[i], buf, (size_t)size, 0) != size) return 1;
        free(buf);
      }
      if (mode & 2) sync_file_range(tmp[i], 0, 0, SYNC_FILE_RANGE_WRITE);
    }
    for (int i = g; i < e; i++) {
      char p[64], q[64];
      snprintf(p, sizeof p, "o%d", i);
      snprintf(q, sizeof q, ".o%d.tmp", i);
      if (mode & 4) fsync(tmp[i]);
      rename(q, p);
      close(tmp[i]);
      close(src[i]);
    }
    int d = open(".", O_RDONLY);
    fsync(d);
    close(d);
  }
  printf("mode %d: %.3f s for %d files\n", mode, now() - t0, n);
  return 0;
}

// What reading a FLAC file's two interesting stretches costs, mapped or read, without liner: on two
// threads, each file is opened read-write and locked (as `liner tag --in-place` does), then either mapped
// whole with its first, a middle, and last pages touched and unmapped (MODE 0), or read with two pread
// calls, 8 KiB at the start and 16 KiB at the end (MODE 1). Why liner reads FLAC on demand (FileImage).
//   cc -O2 -pthread map_vs_pread.c -o map_vs_pread && ./map_vs_pread 0 FILES... && ./map_vs_pread 1 FILES...
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char** files;
static int count, mode;
static volatile long sink;

static void* work(void* arg) {
  static __thread char buf[16384];
  for (int i = (int)(long)arg; i < count; i += 2) {
    int fd = open(files[i], O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 16384) {
      perror(files[i]);
      exit(1);
    }
    flock(fd, LOCK_EX);
    if (mode == 0) {
      unsigned char* m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      sink += m[0] + m[8000] + m[st.st_size - 16384] + m[st.st_size - 1];
      munmap(m, (size_t)st.st_size);
    } else {
      sink += pread(fd, buf, 8192, 0) + buf[0];
      sink += pread(fd, buf, 16384, st.st_size - 16384) + buf[1];
    }
    close(fd);
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s MODE(0 map, 1 pread) FILES...\n", argv[0]);
    return 2;
  }
  mode = atoi(argv[1]);
  files = argv + 2;
  count = argc - 2;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pthread_t th[2];
  for (long t = 0; t < 2; t++)
    pthread_create(&th[t], NULL, work, (void*)t);
  for (int t = 0; t < 2; t++)
    pthread_join(th[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%s: %d files, %.2f ms\n", mode == 0 ? "map" : "pread", count,
         (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
  return 0;
}

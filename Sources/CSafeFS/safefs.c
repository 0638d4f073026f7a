// Thin wrappers over openat2(2) and renameat2(2); see lg_safefs.h.
#define _GNU_SOURCE
#include "lg_safefs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/openat2.h>
#endif

int lg_openat2(int dirfd, const char *path, int flags, unsigned int mode, unsigned long long resolve) {
#if defined(__linux__) && defined(SYS_openat2)
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(unsigned int)flags;
    how.mode = (flags & (O_CREAT | O_TMPFILE)) ? (uint64_t)mode : 0;
    how.resolve = resolve;
    long fd;
    do {
        fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    } while (fd < 0 && errno == EINTR);
    return (int)fd;
#else
    (void)dirfd; (void)path; (void)flags; (void)mode; (void)resolve;
    errno = ENOSYS;
    return -1;
#endif
}

int lg_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
#if defined(__linux__)
    return renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
#else
    if (flags != 0) { errno = ENOSYS; return -1; }
    return renameat(olddirfd, oldpath, newdirfd, newpath);
#endif
}

/*
 * common/files.h — housekeeping of the files kzgkit writes (files.c has the rules).
 */
#ifndef KZGKIT_COMMON_FILES_H
#define KZGKIT_COMMON_FILES_H

#include "common/common.h"

/* The age below which a dead writer's temporary is kept (see files.c: a writer on another
 * host sharing the directory). */
#define FILE_TEMP_MIN_AGE_S 60

/* Removes the temporaries "PATH.tmp.PID[.N]" beside `path` whose writer PID is no longer a
 * process here and that are at least `min_age_s` seconds old (0: of any age, even with an
 * mtime ahead of the clock); returns how many. Never fails: an unreadable directory
 * removes nothing. */
unsigned file_sweep_stale_temps(const char *path, unsigned min_age_s);

#endif

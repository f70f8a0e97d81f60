/* test_profile — tuning profiles (runtime/profile.h) and how contexts apply them: the text
 * format round-trips; corrupt files get specific statuses; a profile from another CPU or
 * backend is ignored with a warning; a profile's MSM windows belong to its context, change
 * the window and never the result (two contexts with different profiles in one process:
 * test/unit/eip4844/test_eip4844_profile.c). (Lives with the setup layer: it needs the msm layer and the context.) */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "msm/msm.h"
#include "runtime/profile.h"
#include "setup/setup.h"
#include "testrand.h"

static profile sample_profile(void) {
    profile p;
    memset(&p, 0, sizeof p);
    profile_cpu_model(p.cpu, sizeof p.cpu);
    snprintf(p.backend, sizeof p.backend, "%s", kzg_backend());
    p.cpus = 2;
    snprintf(p.date, sizeof p.date, "2026-01-02T03:04:05Z");
    p.msm_window[8] = 7;
    p.msm_window[10] = 9;
    p.msm_window[12] = 11;
    p.threads = 2;
    p.has_table_window = true;
    p.table_window = 0;
    p.table_mib = 0;
    p.table_speedup = 1;
    p.batch_threshold = 4;
    return p;
}

static kzg_status parse_str(profile *p, const char *text) { return profile_parse(p, text, strlen(text)); }

static void test_profile__round_trip(void) {
    profile a = sample_profile(), b;
    char text[4096], again[4096];
    size_t n = profile_format(text, sizeof text, &a);
    CHECK(n > 0, "format failed");
    CHECK(profile_parse(&b, text, n) == KZG_OK, "parse of our own output: %s", kzg_last_error());
    CHECK(strcmp(a.cpu, b.cpu) == 0 && strcmp(a.backend, b.backend) == 0 &&
              strcmp(a.date, b.date) == 0 && a.cpus == b.cpus,
          "machine keys differ after the round trip");
    CHECK(memcmp(a.msm_window, b.msm_window, sizeof a.msm_window) == 0, "windows differ");
    CHECK(a.threads == b.threads && a.has_table_window == b.has_table_window &&
              a.table_window == b.table_window && a.batch_threshold == b.batch_threshold,
          "decisions differ");
    CHECK(profile_format(again, sizeof again, &b) == n && memcmp(text, again, n) == 0,
          "format(parse(format(p))) != format(p)");
    CHECK(profile_format(text, 40, &a) == 0, "a too-small buffer must give 0");
}

static const char *HEAD = "kzgkit-profile 1\ncpu = X\nbackend = Y\ncpus = 2\ndate = D\n";

static void expect_reject(const char *what, const char *text, kzg_status want) {
    profile p;
    memset(&p, 0xa5, sizeof p);
    kzg_status st = parse_str(&p, text);
    CHECK(st == want, "%s: status %d (%s), expected %d; detail: %s", what, (int)st,
          kzg_status_str(st), (int)want, kzg_last_error());
    CHECK(kzg_last_error()[0] != '\0', "%s: no detail", what);
    profile zero;
    memset(&zero, 0, sizeof zero);
    CHECK(memcmp(&p, &zero, sizeof p) == 0, "%s: output not zeroed", what);
}

/* Version 2 adds backend_pick and backend_ms.NAME; a profile without them is still written
 * as version 1, and version-1 files (older writers) still load. */
static void test_profile__backend_keys_round_trip_and_version(void) {
    profile a = sample_profile(), b;
    char text[4096];
    size_t n = profile_format(text, sizeof text, &a);
    CHECK(n > 0 && strstr(text, "\nkzgkit-profile 1\n") && !strstr(text, "backend_pick"),
          "a profile without backend keys must be written as version 1:\n%s", text);
    snprintf(a.backend_pick, sizeof a.backend_pick, "x86_64-mulx-adx");
    a.n_backend_ms = 2;
    snprintf(a.backend_ms[0].name, sizeof a.backend_ms[0].name, "x86_64-mulx-adx-ifma");
    a.backend_ms[0].ms = 412.5;
    snprintf(a.backend_ms[1].name, sizeof a.backend_ms[1].name, "x86_64-mulx-adx");
    a.backend_ms[1].ms = 401.25;
    n = profile_format(text, sizeof text, &a);
    CHECK(n > 0 && strstr(text, "\nkzgkit-profile 2\n") && strstr(text, "\nbackend_pick = x86_64-mulx-adx\n") &&
              strstr(text, "\nbackend_ms.x86_64-mulx-adx-ifma = 412.500\n"),
          "version 2 text:\n%s", text);
    CHECK(profile_parse(&b, text, n) == KZG_OK, "parse version 2: %s", kzg_last_error());
    CHECK(strcmp(b.backend_pick, "x86_64-mulx-adx") == 0 && b.n_backend_ms == 2 &&
              strcmp(b.backend_ms[0].name, "x86_64-mulx-adx-ifma") == 0 && b.backend_ms[0].ms == 412.5 &&
              strcmp(b.backend_ms[1].name, "x86_64-mulx-adx") == 0 && b.backend_ms[1].ms == 401.25,
          "backend keys differ after the round trip");
    CHECK(memcmp(a.msm_window, b.msm_window, sizeof a.msm_window) == 0 && a.threads == b.threads,
          "other keys differ after the round trip");
    char desc[512];
    profile_describe(desc, sizeof desc, &b);
    CHECK(strstr(desc, "backend_pick=x86_64-mulx-adx") != NULL, "describe: '%s'", desc);

    /* A version-1 file as the previous release wrote it. */
    static const char *V1 = "# kzgkit tuning profile (format: docs/TUNING.md)\nkzgkit-profile 1\n"
                            "cpu = X\nbackend = Y\ncpus = 2\ndate = D\nmsm_window.256 = 8\n"
                            "threads = 1\ntable_window = 13\ntable_mib = 7.50\n"
                            "table_speedup = 1.150\nbatch_threshold = 0\nend\n";
    CHECK(parse_str(&b, V1) == KZG_OK && b.msm_window[8] == 8 && b.table_window == 13 &&
              b.backend_pick[0] == '\0' && b.n_backend_ms == 0,
          "version 1 profile: %s", kzg_last_error());
}

static void test_profile_parse__rejects_corrupt_files(void) {
    char buf[1024];
    CHECK(snprintf(buf, sizeof buf, "%send\n", HEAD) > 0 && parse_str(&(profile){0}, buf) == KZG_OK,
          "the minimal profile must parse: %s", kzg_last_error());
    expect_reject("empty", "", KZG_ERR_SETUP);
    expect_reject("comments only", "# nothing\n\n", KZG_ERR_SETUP);
    expect_reject("bad magic", "kzgkit-profil 1\nend\n", KZG_ERR_SETUP);
    expect_reject("unknown version", "kzgkit-profile 3\ncpu = X\nbackend = Y\ncpus = 2\ndate = D\nend\n",
                  KZG_ERR_SETUP);
    expect_reject("bad version", "kzgkit-profile one\nend\n", KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%sthis is garbage\nend\n", HEAD);
    expect_reject("garbage line", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%scolour = blue\nend\n", HEAD);
    expect_reject("unknown key", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%sthreads = 2\nthreads = 2\nend\n", HEAD);
    expect_reject("repeated key", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%smsm_window.256 = 8\nmsm_window.256 = 8\nend\n", HEAD);
    expect_reject("repeated window", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%smsm_window.256 = 17\nend\n", HEAD);
    expect_reject("window above 16", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%smsm_window.256 = 1\nend\n", HEAD);
    expect_reject("window below 2", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%smsm_window.300 = 8\nend\n", HEAD);
    expect_reject("size not a power of two", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%sthreads = 0\nend\n", HEAD);
    expect_reject("threads 0", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%stable_window = 3\nend\n", HEAD);
    expect_reject("table_window 3", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%stable_speedup = nan\nend\n", HEAD);
    expect_reject("speed-up NaN", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%sthreads = -1\nend\n", HEAD);
    expect_reject("negative threads", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%smsm_window.256 = 8\n", HEAD);
    expect_reject("truncated (no end line)", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%send\nthreads = 2\n", HEAD);
    expect_reject("text after end", buf, KZG_ERR_SETUP);
    expect_reject("no machine keys", "kzgkit-profile 1\nthreads = 2\nend\n", KZG_ERR_SETUP);
    static const char *HEAD2 = "kzgkit-profile 2\ncpu = X\nbackend = Y\ncpus = 2\ndate = D\n";
    snprintf(buf, sizeof buf, "%sbackend_pick = x86_64-mulx-adx\nend\n", HEAD);
    expect_reject("backend_pick in version 1", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%sbackend_pick = x86_64-mulx-adx\nbackend_pick = portable\nend\n", HEAD2);
    expect_reject("repeated backend_pick", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%sbackend_pick = X86 64\nend\n", HEAD2);
    expect_reject("backend_pick not a name", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%sbackend_ms.portable = 1\nbackend_ms.portable = 2\nend\n", HEAD2);
    expect_reject("repeated backend_ms", buf, KZG_ERR_SETUP);
    snprintf(buf, sizeof buf, "%sbackend_ms.portable = -1\nend\n", HEAD2);
    expect_reject("negative backend_ms", buf, KZG_ERR_BAD_ARG);
    snprintf(buf, sizeof buf, "%sbackend_ms. = 1\nend\n", HEAD2);
    expect_reject("backend_ms without a name", buf, KZG_ERR_BAD_ARG);
    {
        char nul[] = "kzgkit-profile 1\n\0end\n";
        profile p;
        CHECK(profile_parse(&p, nul, sizeof nul - 1) == KZG_ERR_SETUP, "NUL byte accepted");
    }
    /* Every truncation of a valid profile is rejected (the end line is what makes that so). */
    profile a = sample_profile(), p;
    char text[4096];
    size_t n = profile_format(text, sizeof text, &a), bad = 0;
    for (size_t cut = 0; cut + 4 < n; cut++) bad += profile_parse(&p, text, cut) == KZG_OK;
    CHECK(bad == 0, "%zu truncations of a valid profile parsed", bad);
}

static bool write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* The parser's remaining arms, value by value: every malformed value gets its status (and
 * the output stays zeroed); blanks include tabs and CR (a file edited on Windows loads). */
static void test_profile_parse__every_value_arm(void) {
    char buf[PROFILE_MAX_BYTES + 64];
    profile p;
    CHECK(parse_str(&p, "kzgkit-profile\t1\r\ncpu\t= X\r\nbackend = Y \t\r\ncpus = 2\r\n"
                        "date = D\r\n\t end \r\n") == KZG_OK && strcmp(p.backend, "Y") == 0,
          "CRLF and tabs: %s", kzg_last_error());
    static const struct { const char *line; kzg_status want; } bad[] = {
        {"cpus = 99999999999999999999999", KZG_ERR_BAD_ARG},     /* overflows 64 bits */
        {"cpus = 0", KZG_ERR_BAD_ARG},
        {"cpus = 65537", KZG_ERR_BAD_ARG},
        {"threads = 257", KZG_ERR_BAD_ARG},
        {"table_window = 17", KZG_ERR_BAD_ARG},
        {"batch_threshold = 4294967296", KZG_ERR_BAD_ARG},
        {"batch_threshold = 12a", KZG_ERR_BAD_ARG},
        {"table_mib = abc", KZG_ERR_BAD_ARG},                    /* no number at all */
        {"table_mib = 1.5x", KZG_ERR_BAD_ARG},                   /* text after it */
        {"table_mib = 1e999", KZG_ERR_BAD_ARG},                  /* ERANGE */
        {"table_mib = inf", KZG_ERR_BAD_ARG},
        {"table_speedup = -0.5", KZG_ERR_BAD_ARG},
        {"msm_window. = 8", KZG_ERR_BAD_ARG},                    /* no size */
        {"msm_window.abc = 8", KZG_ERR_BAD_ARG},
        {"msm_window.1 = 8", KZG_ERR_BAD_ARG},                   /* below 2^1 */
        {"msm_window.33554432 = 8", KZG_ERR_BAD_ARG},            /* 2^25, above 2^24 */
        {"msm_window.256 = x", KZG_ERR_BAD_ARG},
        {" = 5", KZG_ERR_SETUP},                                  /* no key */
        {"threads =", KZG_ERR_SETUP},                             /* no value */
        {"threads = \t", KZG_ERR_SETUP},
    };
    for (size_t i = 0; i < KZG_ARRAY_LEN(bad); i++) {
        bool cpus = strncmp(bad[i].line, "cpus", 4) == 0; /* HEAD has a cpus line */
        snprintf(buf, sizeof buf, "%s%s\nend\n",
                 cpus ? "kzgkit-profile 1\ncpu = X\nbackend = Y\ndate = D\n" : HEAD, bad[i].line);
        expect_reject(bad[i].line, buf, bad[i].want);
    }
    /* Text values: printable and shorter than PROFILE_TEXT_LEN. */
    snprintf(buf, sizeof buf, "kzgkit-profile 1\ncpu = A\x01" "B\nbackend = Y\ncpus = 2\ndate = D\nend\n");
    expect_reject("control character in cpu", buf, KZG_ERR_BAD_ARG);
    char longv[PROFILE_TEXT_LEN + 1];
    memset(longv, 'c', PROFILE_TEXT_LEN);
    longv[PROFILE_TEXT_LEN] = '\0';
    snprintf(buf, sizeof buf, "kzgkit-profile 1\ncpu = X\nbackend = Y\ncpus = 2\ndate = %s\nend\n", longv);
    expect_reject("date of PROFILE_TEXT_LEN characters", buf, KZG_ERR_BAD_ARG);
    /* A line of 256 characters or more (after trimming) is refused as such. */
    char longl[300];
    memset(longl, 'x', 299);
    longl[299] = '\0';
    snprintf(buf, sizeof buf, "%s# %s\ncpu = %s\nend\n", "kzgkit-profile 1\n", longl, longl);
    expect_reject("a 300-character line", buf, KZG_ERR_SETUP);
    /* More than PROFILE_MAX_BACKENDS backend_ms keys. */
    size_t n = (size_t)snprintf(buf, sizeof buf, "kzgkit-profile 2\ncpu = X\nbackend = Y\ncpus = 2\ndate = D\n");
    for (int i = 0; i <= PROFILE_MAX_BACKENDS; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "backend_ms.b%d = 1\n", i);
    snprintf(buf + n, sizeof buf - n, "end\n");
    expect_reject("nine backend_ms keys", buf, KZG_ERR_BAD_ARG);
    /* Larger than PROFILE_MAX_BYTES: refused before it is read line by line. */
    memset(buf, '#', PROFILE_MAX_BYTES + 1);
    CHECK(profile_parse(&p, buf, PROFILE_MAX_BYTES + 1) == KZG_ERR_SETUP &&
              strstr(kzg_last_error(), "more than"),
          "an oversized profile: %s", kzg_last_error());
    /* NULL arguments. */
    CHECK(profile_parse(NULL, "x", 1) == KZG_ERR_NULL_ARG, "parse: NULL out");
    CHECK(profile_parse(&p, NULL, 1) == KZG_ERR_NULL_ARG, "parse: NULL text");
    CHECK(profile_load(NULL, "/nonexistent") == KZG_ERR_NULL_ARG, "load: NULL out");
    CHECK(profile_load(&p, NULL) == KZG_ERR_NULL_ARG, "load: NULL path");
}

static void *no_malloc(size_t n, void *user) { (void)n; (void)user; return NULL; }
static void plain_free(void *q, void *user) { (void)user; free(q); }

/* The writer at every buffer size (each append can be the one that overflows), and the
 * one-line summary when it does not fit; the loader when its buffer cannot be allocated. */
static void test_profile_format__every_capacity(void) {
    profile a = sample_profile();
    snprintf(a.backend_pick, sizeof a.backend_pick, "x86_64-mulx-adx");
    a.n_backend_ms = 1;
    snprintf(a.backend_ms[0].name, sizeof a.backend_ms[0].name, "portable");
    a.backend_ms[0].ms = 1.5;
    char text[4096];
    size_t n = profile_format(text, sizeof text, &a), bad = 0;
    CHECK(n > 0, "format failed");
    for (size_t cap = 0; cap <= n; cap++) {
        char small[4096];
        memset(small, 'z', sizeof small);
        if (profile_format(small, cap, &a) != 0 || (cap > 0 && small[0] != '\0')) bad++;
    }
    CHECK(bad == 0, "%zu capacities below the length did not give 0 and an empty buffer", bad);
    CHECK(profile_format(text, n + 1, &a) == n, "the exact capacity must fit");
    CHECK(profile_format(NULL, 10, &a) == 0 && profile_format(text, 10, NULL) == 0,
          "NULL buffer or profile");
    char d[200];
    profile_describe(d, sizeof d, &a);
    CHECK(strstr(d, "threads=2") && strstr(d, "backend_pick=x86_64-mulx-adx") && d[strlen(d) - 1] != ' ',
          "describe: '%s'", d);
    profile_describe(d, 12, &a);
    CHECK(strcmp(d, "(too long t") == 0, "describe, short buffer: '%s'", d);
    profile empty;
    memset(&empty, 0, sizeof empty);
    profile_describe(d, sizeof d, &empty);
    CHECK(d[0] == '\0', "describe of nothing: '%s'", d);
    d[0] = 'q';
    profile_describe(d, 0, &a);
    CHECK(d[0] == 'q', "describe wrote into a zero-length buffer");

    char path[] = "/tmp/kzgkit-profile-oom.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd < 0) return;
    close(fd);
    CHECK(write_file(path, text), "write %s", path);
    profile p;
    CHECK(kzg_set_allocator(&(kzg_allocator){no_malloc, plain_free, NULL}) == KZG_OK, "allocator");
    kzg_status st = profile_load(&p, path);
    char detail[256];
    snprintf(detail, sizeof detail, "%s", kzg_last_error());
    kzg_set_allocator(NULL);
    CHECK(st == KZG_ERR_MEMORY && strstr(detail, path), "load without memory: %d %s", (int)st, detail);
    CHECK(profile_load(&p, path) == KZG_OK, "load after: %s", kzg_last_error());
    remove(path);
}

static kzg_status ctx_with_profile(kzg_ctx **ctx, const char *path) {
    kzg_ctx_options o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.profile_path = path;
    return kzg_ctx_new(ctx, &o);
}

static void test_ctx__applies_matching_profile_and_ignores_foreign_one(void) {
    char path[64], text[4096], info[1024];
    bool applied = true;
    kzg_ctx *ctx = NULL;
    snprintf(path, sizeof path, "/tmp/kzgkit_test_profile_%ld.txt", (long)getpid());
    profile a = sample_profile();
    unsigned auto256 = g1_msm_window_bits(256, NULL);
    a.msm_window[8] = auto256 - 1;
    CHECK(profile_format(text, sizeof text, &a) > 0 && write_file(path, text), "write %s", path);

    CHECK(ctx_with_profile(&ctx, path) == KZG_OK, "matching profile: %s", kzg_last_error());
    CHECK(ctx && kzg_ctx_profile_info(ctx, info, sizeof info, &applied) == KZG_OK && applied,
          "matching profile not applied: %s", info);
    CHECK(ctx && ctx->threads == 2 && ctx->pool != NULL, "profile threads not applied");
    CHECK(strstr(info, path) && strstr(info, "threads=2"), "info line '%s'", info);
    CHECK(ctx && g1_msm_window_bits(256, &ctx->msm_windows) == auto256 - 1,
          "window for 256: %u, expected %u", ctx ? g1_msm_window_bits(256, &ctx->msm_windows) : 0,
          auto256 - 1);
    CHECK(g1_msm_window_bits(256, NULL) == auto256, "the profile changed the automatic window");
    kzg_ctx_free(ctx);
    ctx = NULL;

    /* Another CPU model: created, but the profile is ignored, with a reason. */
    snprintf(a.cpu, sizeof a.cpu, "Imaginary CPU 9000");
    CHECK(profile_format(text, sizeof text, &a) > 0 && write_file(path, text), "write %s", path);
    CHECK(ctx_with_profile(&ctx, path) == KZG_OK, "foreign profile: %s", kzg_last_error());
    CHECK(ctx && kzg_ctx_profile_info(ctx, info, sizeof info, &applied) == KZG_OK && !applied,
          "foreign profile applied");
    CHECK(strstr(info, "ignored") && strstr(info, "Imaginary CPU 9000"), "warning '%s'", info);
    CHECK(ctx && ctx->threads == 0, "foreign profile's threads applied");
    CHECK(ctx && g1_msm_window_bits(256, &ctx->msm_windows) == auto256,
          "foreign profile's windows applied");
    kzg_ctx_free(ctx);
    ctx = NULL;

    /* Another backend: ignored too. */
    profile b = sample_profile();
    snprintf(b.backend, sizeof b.backend, "no-such-backend");
    CHECK(profile_format(text, sizeof text, &b) > 0 && write_file(path, text), "write %s", path);
    CHECK(ctx_with_profile(&ctx, path) == KZG_OK && ctx &&
              kzg_ctx_profile_info(ctx, info, sizeof info, &applied) == KZG_OK && !applied &&
              strstr(info, "no-such-backend"),
          "foreign backend: '%s'", info);
    kzg_ctx_free(ctx);
    ctx = NULL;

    /* Corrupt and missing files fail the constructor with a detail. */
    CHECK(write_file(path, "kzgkit-profile 7\nend\n"), "write %s", path);
    CHECK(ctx_with_profile(&ctx, path) == KZG_ERR_SETUP && ctx == NULL &&
              strstr(kzg_last_error(), "version 7"),
          "corrupt profile: %s", kzg_last_error());
    remove(path);
    CHECK(ctx_with_profile(&ctx, path) == KZG_ERR_IO && ctx == NULL, "missing profile: %s",
          kzg_last_error());

    /* No profile: "none". */
    CHECK(kzg_ctx_new(&ctx, NULL) == KZG_OK && ctx &&
              kzg_ctx_profile_info(ctx, info, sizeof info, &applied) == KZG_OK && !applied &&
              strcmp(info, "none") == 0,
          "no profile: '%s'", info);
    kzg_ctx_free(ctx);
}

/* kzg_profile_backend: the pick of a profile from this CPU model (whatever its backend key),
 * "" for another CPU model or none recorded; file errors as the constructor's. */
static void test_kzg_profile_backend__reads_the_pick(void) {
    char path[64], text[4096], name[64];
    snprintf(path, sizeof path, "/tmp/kzgkit_test_profile_pick_%ld.txt", (long)getpid());
    profile a = sample_profile();
    snprintf(a.backend, sizeof a.backend, "some-other-backend");
    snprintf(a.backend_pick, sizeof a.backend_pick, "portable");
    CHECK(profile_format(text, sizeof text, &a) > 0 && write_file(path, text), "write %s", path);
    CHECK(kzg_profile_backend(path, name, sizeof name) == KZG_OK && strcmp(name, "portable") == 0,
          "pick: '%s' (%s)", name, kzg_last_error());
    CHECK(kzg_profile_backend(path, name, 8) == KZG_ERR_LENGTH && name[0] == '\0',
          "a name that does not fit");
    CHECK(kzg_profile_backend(path, name, 9) == KZG_OK && strcmp(name, "portable") == 0,
          "a name that just fits");
    CHECK(kzg_profile_backend(NULL, name, sizeof name) == KZG_ERR_NULL_ARG, "NULL path");
    CHECK(kzg_profile_backend(path, NULL, 0) == KZG_ERR_NULL_ARG, "NULL name");
    snprintf(a.cpu, sizeof a.cpu, "Imaginary CPU 9000");
    CHECK(profile_format(text, sizeof text, &a) > 0 && write_file(path, text), "write %s", path);
    CHECK(kzg_profile_backend(path, name, sizeof name) == KZG_OK && name[0] == '\0',
          "another CPU's pick: '%s'", name);
    a = sample_profile();
    CHECK(profile_format(text, sizeof text, &a) > 0 && write_file(path, text), "write %s", path);
    CHECK(kzg_profile_backend(path, name, sizeof name) == KZG_OK && name[0] == '\0',
          "a profile without a pick: '%s'", name);
    CHECK(write_file(path, "kzgkit-profile 9\nend\n") &&
              kzg_profile_backend(path, name, sizeof name) == KZG_ERR_SETUP,
          "corrupt profile accepted");
    remove(path);
    CHECK(kzg_profile_backend(path, name, sizeof name) == KZG_ERR_IO, "missing file");
}

/* A window profile changes the window (capped at auto + 1), never the result; scratch sized
 * by the profile-free size functions fits every profile. */
static void test_msm_windows__change_window_not_result(void) {
    static const size_t sizes[] = {200, 256, 1024};
    const g1_aff_t *pts = SETUP_EMBEDDED.tables.g1_lagrange_brp;
    msm_scalar *sc = malloc(1024 * sizeof *sc);
    CHECK(sc != NULL, "alloc");
    if (!sc) return;
    for (size_t i = 0; i < 1024; i++) {
        for (int k = 0; k < 4; k++) sc[i].l[k] = testrand_u64();
        sc[i].l[3] &= 0x3fffffffffffffffULL;
    }
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        unsigned lg = 0;
        while (((size_t)1 << (lg + 1)) <= n) lg++;
        unsigned d = g1_msm_window_bits(n, NULL);
        void *rs = malloc(g1_msm_raw_scratch_size(n)), *ps = malloc(g1_msm_par_scratch_size(n, 2));
        CHECK(rs && ps, "alloc");
        if (!rs || !ps) {
            free(rs);
            free(ps);
            break;
        }
        g1_t want, got;
        g1_msm_raw_var(&want, pts, sc, n, NULL, rs);
        unsigned tries[] = {d - 1, d + 1, d + 4, 2, 0, 17};
        for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++) {
            msm_windows w;
            memset(&w, 0, sizeof w);
            w.c[lg] = (uint8_t)tries[k];
            unsigned expect = tries[k] < 2 || tries[k] > 16 ? d : tries[k] > d + 1 ? d + 1 : tries[k];
            CHECK(g1_msm_window_bits(n, &w) == expect, "n = %zu: profile %u gave window %u, expected %u",
                  n, tries[k], g1_msm_window_bits(n, &w), expect);
            w.c[lg ? lg - 1 : lg + 1] = 3; /* other classes do not matter */
            CHECK(g1_msm_window_bits(n, &w) == expect, "n = %zu: another class changed the window", n);
            g1_msm_raw_var(&got, pts, sc, n, &w, rs);
            CHECK(g1_eq(&want, &got), "n = %zu, window %u: MSM differs", n, expect);
            g1_msm_raw_par_var(&got, pts, sc, n, &w, ps, 2, NULL, NULL);
            CHECK(g1_eq(&want, &got), "n = %zu, window %u: parallel-plan MSM differs", n, expect);
        }
        free(rs);
        free(ps);
    }
    free(sc);
}

int main(void) {
    testrand_init("test_profile");
    test_profile__round_trip();
    test_profile__backend_keys_round_trip_and_version();
    test_profile_parse__rejects_corrupt_files();
    test_profile_parse__every_value_arm();
    test_profile_format__every_capacity();
    test_ctx__applies_matching_profile_and_ignores_foreign_one();
    test_msm_windows__change_window_not_result();
    test_kzg_profile_backend__reads_the_pick();
    return test_report();
}

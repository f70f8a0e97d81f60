/* test/fuzz/fuzz_setup_file.c — kzg_ctx_new_from_file (the c-kzg text and JSON parsers).
 * Input: FORMAT (AUTO/TXT/JSON from one byte), then the file's content, written to a
 * private temporary file. Properties: no crash or leak on any content; on failure *out is
 * NULL and the kzg.h contract holds. Seeds: the mainnet setup in both formats. */
#include <unistd.h>

#include "fuzz_common.h"

static char path[4096];
static int fd = -1;

static void cleanup(void) {
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    const char *dir = getenv("TMPDIR");
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "%s/kzgkit-fuzz-setup.XXXXXX", dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        perror("fuzz_setup_file: mkstemp");
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const kzg_setup_format formats[3] = {KZG_SETUP_AUTO, KZG_SETUP_TXT, KZG_SETUP_JSON};
    fuzz_reader r = {data, size};
    kzg_setup_format fmt = formats[fuzz_byte(&r) % 3];
    kzg_ctx *ctx = (kzg_ctx *)&ctx; /* non-NULL: the library must reset it on failure */
    size_t off = 0;
    kzg_status st;

    if (ftruncate(fd, 0) != 0) {
        perror("fuzz_setup_file: ftruncate");
        exit(1);
    }
    while (off < r.left) {
        ssize_t w = pwrite(fd, r.p + off, r.left - off, (off_t)off);
        if (w <= 0) {
            perror("fuzz_setup_file: pwrite");
            exit(1);
        }
        off += (size_t)w;
    }
    st = kzg_ctx_new_from_file(&ctx, path, fmt, NULL);
    if (st != KZG_OK) {
        fuzz_check_failure(st, NULL, 0);
        FUZZ_CHECK(ctx == NULL);
    } else {
        FUZZ_CHECK(ctx != NULL);
        kzg_ctx_free(ctx);
    }
    return 0;
}

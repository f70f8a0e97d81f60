/* tools/kzgkit/serve.c — `kzgkit serve`: options into an svc_config, then the service
 * (tools/service/server.c). Without libmicrohttpd/libcurl at build time it says so. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#ifdef KZGKIT_HAVE_SERVICE
#include "service.h"
#endif

#ifdef KZGKIT_HAVE_SERVICE
/* A byte count: digits with an optional K, M or G suffix (binary: KiB, MiB, GiB). */
static bool parse_size(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
    char digits[32];
    size_t n = strlen(s);
    uint64_t mult = 1, v;
    if (n == 0 || n >= sizeof digits) return false;
    switch (s[n - 1]) {
    case 'k': case 'K': mult = 1u << 10; n--; break;
    case 'm': case 'M': mult = 1u << 20; n--; break;
    case 'g': case 'G': mult = 1u << 30; n--; break;
    default: break;
    }
    memcpy(digits, s, n);
    digits[n] = '\0';
    if (!cli_parse_u64(digits, 0, UINT64_MAX / mult, &v)) return false;
    v *= mult;
    if (v < lo || v > hi) return false;
    *out = v;
    return true;
}
#endif

int cmd_serve(cli_global *g, int argc, char **argv) {
#ifndef KZGKIT_HAVE_SERVICE
    (void)g;
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) return cli_help("serve");
    return cli_fail("serve", "this kzgkit was built without the service (it needs libmicrohttpd "
                             "and libcurl; Debian: libmicrohttpd-dev libcurl4-openssl-dev)");
#else
    svc_config c;
    char listen_default[32];
    memset(&c, 0, sizeof c);
    snprintf(listen_default, sizeof listen_default, "127.0.0.1:%d", SVC_DEFAULT_PORT);
    c.listen = listen_default;
    c.max_body = SVC_DEFAULT_MAX_BODY;
    c.max_batch = SVC_DEFAULT_MAX_BATCH;
    c.queue = SVC_DEFAULT_QUEUE;
    c.request_timeout_s = SVC_DEFAULT_REQUEST_TIMEOUT;
    c.idle_timeout_s = SVC_DEFAULT_IDLE_TIMEOUT;
    c.max_connections = SVC_DEFAULT_MAX_CONNECTIONS;
    c.drain_timeout_s = SVC_DEFAULT_DRAIN_TIMEOUT;
    static const char *const value_options[] = {
        "--listen", "--max-body", "--max-batch", "--queue", "--cache", "--token-file",
        "--request-timeout", "--idle-timeout", "--max-connections", "--drain-timeout",
        "--port-file"};
#define OPT(name) (v = cli_option_value(name, argc, argv, &i, &missing)) != NULL
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        uint64_t x;
        int r;
        if (cli_is_help(a)) return cli_help("serve");
        for (size_t k = 0; k < sizeof value_options / sizeof value_options[0]; k++)
            if (strcmp(a, value_options[k]) == 0 && i + 1 >= argc)
                return cli_fail("serve", "%s: missing value", a);
        if (OPT("--listen")) {
            c.listen = v;
        } else if (OPT("--max-body")) {
            if (!parse_size(v, 1024, (uint64_t)1 << 32, &x))
                return cli_fail("serve", "--max-body: '%s' is not a size in 1K..4G", v);
            c.max_body = (size_t)x;
        } else if (OPT("--max-batch")) {
            if (!cli_parse_u64(v, 1, 4096, &x))
                return cli_fail("serve", "--max-batch: '%s' is not an integer in 1..4096", v);
            c.max_batch = (size_t)x;
        } else if (OPT("--queue")) {
            if (!cli_parse_u64(v, 1, 100000, &x))
                return cli_fail("serve", "--queue: '%s' is not an integer in 1..100000", v);
            c.queue = (uint32_t)x;
        } else if (OPT("--cache")) {
            if (!parse_size(v, 0, (uint64_t)1 << 40, &x))
                return cli_fail("serve", "--cache: '%s' is not a size in 0..1T", v);
            c.cache_bytes = (size_t)x;
        } else if (OPT("--token-file")) {
            c.token_file = v;
        } else if (OPT("--request-timeout")) {
            if (!cli_parse_u64(v, 1, 3600, &x))
                return cli_fail("serve", "--request-timeout: '%s' is not seconds in 1..3600", v);
            c.request_timeout_s = (uint32_t)x;
        } else if (OPT("--idle-timeout")) {
            if (!cli_parse_u64(v, 1, 3600, &x))
                return cli_fail("serve", "--idle-timeout: '%s' is not seconds in 1..3600", v);
            c.idle_timeout_s = (uint32_t)x;
        } else if (OPT("--max-connections")) {
            if (!cli_parse_u64(v, 1, 65536, &x))
                return cli_fail("serve", "--max-connections: '%s' is not an integer in 1..65536", v);
            c.max_connections = (uint32_t)x;
        } else if (OPT("--drain-timeout")) {
            if (!cli_parse_u64(v, 0, 3600, &x))
                return cli_fail("serve", "--drain-timeout: '%s' is not seconds in 0..3600", v);
            c.drain_timeout_s = (uint32_t)x;
        } else if (OPT("--port-file")) {
            c.port_file = v;
        } else if ((r = cli_global_option(g, "serve", argc, argv, &i)) != 0) {
            if (r < 0) return CLI_EXIT_BAD;
        } else {
            return cli_fail("serve", "unknown argument '%s' (see kzgkit serve --help)", a);
        }
    }
    if (g->threads) {
        c.threads = g->threads;
    } else {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        c.threads = cpus > 0 && cpus < 1024 ? (uint32_t)cpus : 1;
    }
#undef OPT
    c.setup_path = g->setup_path;
    c.profile_path = g->profile_path;
    return svc_serve(&c);
#endif
}

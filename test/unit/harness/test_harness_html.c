/* test_harness_html — the HTML report's structure: self-contained (no script, no external
 * resource), every section and plot present, text escaped. With a path argument it also
 * writes the report there, for test_harness_html.sh to render in headless Chromium. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "html.h"
#include "synth.h"
#include "testrand.h"

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* A fixed (seeded) run: a size sweep, a thread sweep, a plain benchmark with outliers, a
 * failed one, a name that needs escaping; and a baseline where one benchmark is 20%
 * slower and one 15% faster. */
static void build(harness_results *r, harness_results *base) {
    harness_rng rng;
    harness_rng_seed(&rng, 2026);
    harness_results_init(r);
    harness_results_init(base);
    synth_env(&r->env);
    synth_env(&base->env);
    harness_env_add_warning(&r->env, "running under a hypervisor: steal time adds variance");
    const char *ks[] = {"size"}, *kt[] = {"size", "threads"};
    long long sizes[] = {256, 512, 1024, 2048, 4096};
    for (int i = 0; i < 5; i++) {
        double t = 40e3 * (double)sizes[i] / 256 * (1 + 0.1 * i);
        synth_add(r, &rng, "commit", t, 0.02, 30, 1, ks, &sizes[i]);
        synth_add(base, &rng, "commit", i == 4 ? t / 1.2 : t, 0.02, 30, 1, ks, &sizes[i]);
    }
    for (long long th = 1; th <= 8; th *= 2) {
        long long v[] = {4096, th};
        double t = 8e6 / (double)th * (1 + 0.08 * (double)th);
        synth_add(r, &rng, "verify_batch", t, 0.03, 30, 2, kt, v);
        synth_add(base, &rng, "verify_batch", th == 2 ? t * 1.15 : t, 0.03, 30, 2, kt, v);
    }
    harness_result *o = synth_add(r, &rng, "hash<&\"'>", 900, 0.01, 40, 0, NULL, NULL);
    if (o) {
        o->samples_ns[0] = 1400;
        o->samples_ns[1] = 2600;
        o->samples_ns[2] = 700;
        o->alloc_count = (harness_opt_u64){true, 2};
        o->alloc_bytes = (harness_opt_u64){true, 4096};
        o->peak_live_bytes = (harness_opt_u64){true, 4096};
        harness_summarize(&o->stats, o->samples_ns, o->n_samples, 500, 1);
    }
    synth_add(base, &rng, "hash<&\"'>", 905, 0.01, 40, 0, NULL, NULL);
    harness_result *e = harness_results_push(r);
    if (e) {
        snprintf(e->name, sizeof e->name, "broken_op");
        snprintf(e->error, sizeof e->error, "setup failed (status 2)");
    }
}

int main(int argc, char **argv) {
    testrand_init("test_harness_html");
    harness_results r, base;
    build(&r, &base);
    harness_match *m = NULL;
    size_t n_m = 0;
    CHECK(harness_match_results(&m, &n_m, &base, &r, NULL) == 0, "match");
    FILE *f = tmpfile();
    CHECK(f != NULL, "tmpfile");
    char *html = NULL;
    if (f && m) {
        CHECK(harness_html_write(f, &r, m, n_m, 0.05) == 0, "write");
        long len = ftell(f);
        rewind(f);
        html = calloc(1, (size_t)len + 1);
        if (html && fread(html, 1, (size_t)len, f) != (size_t)len) html[0] = 0;
        fclose(f);
    }
    if (html) {
        CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0, "doctype");
        CHECK(!strstr(html, "<script") && !strstr(html, "src=") && !strstr(html, "href=") &&
                  !strstr(html, "@import") && !strstr(html, "url("),
              "self-contained: no script, no external resource");
        const char *ids[] = {"id=\"environment\"", "id=\"summary\"", "id=\"summary-table\"",
                             "id=\"comparison\"", "id=\"scaling\"", "id=\"distributions\""};
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
            CHECK(strstr(html, ids[i]) != NULL, "section %s", ids[i]);
        CHECK(count(html, "<tr class=\"bench\">") == 11, "11 table rows: %zu",
              count(html, "<tr class=\"bench\">"));
        CHECK(count(html, "<svg class=\"dist-plot\"") == 10, "10 distribution plots: %zu",
              count(html, "<svg class=\"dist-plot\""));
        CHECK(count(html, "<svg class=\"scaling-plot\" data-param=\"size\"") == 1,
              "one size-scaling plot");
        CHECK(count(html, "<svg class=\"scaling-plot\" data-param=\"threads\"") == 1,
              "one thread-scaling plot");
        CHECK(count(html, "<svg class=\"compare-chart\"") == 1, "comparison chart");
        CHECK(count(html, "class=\"bar regressed\"") == 1, "one regressed bar: %zu",
              count(html, "class=\"bar regressed\""));
        CHECK(count(html, "class=\"bar improved\"") == 1, "one improved bar: %zu",
              count(html, "class=\"bar improved\""));
        CHECK(count(html, "<circle class=\"sample\"") == 5 * 30 + 4 * 30 + 40, "one dot per sample");
        CHECK(strstr(html, "hash&lt;&amp;&quot;&#39;&gt;") && !strstr(html, "hash<&"),
              "names are escaped");
        CHECK(strstr(html, "error: setup failed (status 2)") != NULL, "failed benchmark shown");
        CHECK(strstr(html, "running under a hypervisor") != NULL, "warnings shown");
        CHECK(!strstr(html, "nan") && !strstr(html, "inf\""), "no NaN/inf leaks into the SVG");
    }
    if (argc > 1) {
        char err[256];
        CHECK(harness_html_save(argv[1], &r, m, n_m, 0.05, err, sizeof err) == 0, "save: %s", err);
    }
    free(html);
    free(m);
    harness_results_free(&r);
    harness_results_free(&base);
    return test_report();
}

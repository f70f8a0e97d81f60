/*
 * tools/harness/html.h — the self-contained HTML report (`--html FILE`).
 *
 * One file: inline CSS and inline SVG, no scripts, no external resources, so it can be
 * mailed, archived as a CI artifact and opened offline. Sections (stable ids, which the
 * rendering test checks): #environment, #summary (table#summary-table), #comparison
 * (svg.compare-chart; only with a baseline), #scaling (svg.scaling-plot per group whose
 * size or threads vary), #distributions (svg.dist-plot per benchmark: strip plot of the
 * samples over a Tukey box). Calls results.h, compare.h, runner.h (formatting).
 */
#ifndef KZGKIT_HARNESS_HTML_H
#define KZGKIT_HARNESS_HTML_H

#include <stdio.h>

#include "compare.h"
#include "results.h"

/* Writes the report for r; `m`/`n_m` (may be NULL/0) are the pairs against a baseline,
 * `threshold` the noise band drawn on the comparison chart. 0, or −1 on an I/O error. */
int harness_html_write(FILE *f, const harness_results *r, const harness_match *m, size_t n_m,
                       double threshold);
/* The same into `path`; −1 with a one-line reason in err. */
int harness_html_save(const char *path, const harness_results *r, const harness_match *m,
                      size_t n_m, double threshold, char *err, size_t errlen);

/* Pieces the history page (history.h) shares with the report: the style sheet; text with
 * & < > " ' escaped; a tick step of 1, 2 or 5 × 10^k giving about `want` intervals over
 * [lo, hi]; the document's start up to and including <body> with the style inline. */
extern const char harness_html_css[];
void harness_html_esc(FILE *f, const char *s);
double harness_html_nice_step(double lo, double hi, int want);
void harness_html_begin(FILE *f, const char *title);

#endif

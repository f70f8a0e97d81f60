/* tools/kzgkit/ab_cmd.c — `kzgkit ab`: the paired A/B of two builds (tools/harness/ab.h). */
#include "ab.h"
#include "cli.h"

int cmd_ab(cli_global *g, int argc, char **argv) {
    (void)g; /* OLD and NEW are separate processes: the global options are not theirs */
    return harness_main_ab(argc, argv);
}

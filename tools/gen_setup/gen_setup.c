/* Placeholder replaced by the setup work: fails loudly so that nothing uses it by accident. */
#include <stdio.h>
int main(void) { fprintf(stderr, "gen_setup: not built yet\n"); return 1; }
